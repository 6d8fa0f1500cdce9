//! Small readers of syntax trees shared by the model's parts: paths, type arguments, string
//! and integer literals, method-call chains.

use syn::punctuated::Punctuated;
use syn::{Expr, GenericArgument, PathArguments, Type};

/// The last segment's name of a type path (`::std::option::Option<T>` → `Option`).
pub fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// The type arguments of the last segment of `ty` (`Result<A, B>` → `[A, B]`).
pub fn type_arguments(ty: &Type) -> Vec<Type> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(segment) = path.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

/// True when `path` ends with the segments `tail` (`::reqwest::header::ACCEPT` ends with
/// `["ACCEPT"]`).
pub fn path_ends_with(path: &syn::Path, tail: &[&str]) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.len() >= tail.len()
        && segments[segments.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// The path of a path expression (`response`, `Error::InvalidRequest`).
pub fn expr_path(expr: &Expr) -> Option<&syn::Path> {
    match expr {
        Expr::Path(path) if path.qself.is_none() => Some(&path.path),
        _ => None,
    }
}

/// True for the path expression `name` (a single identifier).
pub fn is_ident(expr: &Expr, name: &str) -> bool {
    expr_path(expr).is_some_and(|path| path.is_ident(name))
}

/// The value of a string literal expression.
pub fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// The value of an integer literal (`200u16` → 200).
pub fn integer_literal(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(int),
            ..
        }) => int.base10_parse().ok(),
        _ => None,
    }
}

/// The expression inside groups, parentheses and a block holding only it (`{ x }` → `x`).
pub fn unwrap_block(expr: &Expr) -> &Expr {
    match expr {
        Expr::Block(block) if block.block.stmts.len() == 1 && block.label.is_none() => {
            match &block.block.stmts[0] {
                syn::Stmt::Expr(inner, None) => unwrap_block(inner),
                _ => expr,
            }
        }
        Expr::Paren(paren) => unwrap_block(&paren.expr),
        Expr::Group(group) => unwrap_block(&group.expr),
        _ => expr,
    }
}

/// A call of a function named by a path (`Ok(x)`, `ResponseValue::empty(response)`): the
/// path and the arguments.
pub fn call_of(expr: &Expr) -> Option<(&syn::Path, &Punctuated<Expr, syn::Token![,]>)> {
    let Expr::Call(call) = expr else { return None };
    Some((expr_path(&call.func)?, &call.args))
}

/// One method call of a chain: its name, and its arguments.
#[derive(Clone)]
pub struct ChainCall {
    pub method: syn::Ident,
    pub args: Punctuated<Expr, syn::Token![,]>,
}

impl ChainCall {
    /// A call to build into a chain.
    pub fn new(method: &str, args: Punctuated<Expr, syn::Token![,]>) -> Self {
        Self {
            method: syn::Ident::new(method, proc_macro2::Span::call_site()),
            args,
        }
    }

    /// Whether the call is `name(..)`.
    pub fn is(&self, name: &str) -> bool {
        self.method == name
    }
}

/// A chain of method calls (`inner.method(..).path_matches(..)`) as its innermost receiver
/// and the calls on it, outermost last.
pub fn unchain(expr: &Expr) -> (Expr, Vec<ChainCall>) {
    let mut calls = Vec::new();
    let mut current = expr;
    while let Expr::MethodCall(call) = current {
        if call.turbofish.is_some() {
            break;
        }
        calls.push(ChainCall {
            method: call.method.clone(),
            args: call.args.clone(),
        });
        current = &call.receiver;
    }
    calls.reverse();
    (current.clone(), calls)
}

/// The chain `receiver.calls[0](..).calls[1](..)...` written back (built directly: printing
/// it back through tokens would parse each receiver again).
pub fn chain(receiver: Expr, calls: &[ChainCall]) -> Expr {
    calls.iter().fold(receiver, |receiver, call| {
        Expr::MethodCall(syn::ExprMethodCall {
            attrs: Vec::new(),
            receiver: Box::new(receiver),
            dot_token: Default::default(),
            method: call.method.clone(),
            turbofish: None,
            paren_token: Default::default(),
            args: call.args.clone(),
        })
    })
}

/// The arguments of a call written as `(a, b)` tokens.
pub fn arguments(tokens: proc_macro2::TokenStream) -> Punctuated<Expr, syn::Token![,]> {
    syn::parse::Parser::parse2(Punctuated::parse_terminated, tokens)
        .expect("the xtask writes arguments that parse")
}

/// Every identifier in `node`, macro bodies included: what an item may name.
pub fn idents(node: &impl quote::ToTokens) -> std::collections::BTreeSet<String> {
    fn walk(tokens: proc_macro2::TokenStream, found: &mut std::collections::BTreeSet<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Ident(ident) => {
                    found.insert(ident.to_string());
                }
                proc_macro2::TokenTree::Group(group) => walk(group.stream(), found),
                _ => {}
            }
        }
    }
    let mut found = std::collections::BTreeSet::new();
    walk(node.to_token_stream(), &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn chains_come_apart_and_back_together() {
        let expr: Expr = parse_quote!(inner.method(M).path_matches(re).header("a", "b"));
        let (receiver, calls) = unchain(&expr);
        assert!(is_ident(&receiver, "inner"));
        let names: Vec<String> = calls.iter().map(|c| c.method.to_string()).collect();
        assert_eq!(names, ["method", "path_matches", "header"]);
        assert_eq!(chain(receiver, &calls), expr);
    }

    #[test]
    fn literals_paths_and_blocks_are_read() {
        assert_eq!(integer_literal(&parse_quote!(200u16)), Some(200));
        assert_eq!(string_literal(&parse_quote!("x")).as_deref(), Some("x"));
        let block: Expr = parse_quote!({ Ok(ResponseValue::empty(response)) });
        let (path, args) = call_of(unwrap_block(&block)).expect("a call");
        assert!(path.is_ident("Ok"));
        let (inner, _) = call_of(&args[0]).expect("a call");
        assert!(path_ends_with(inner, &["ResponseValue", "empty"]));
        let ty: Type = parse_quote!(Result<ResponseValue<T>, Error<E>>);
        assert_eq!(last_ident(&ty).as_deref(), Some("Result"));
        assert_eq!(type_arguments(&ty).len(), 2);
    }
}
