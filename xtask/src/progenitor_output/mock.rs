//! The mock file: progenitor's typed httpmock extension. Per operation a `When` (the request
//! a mock matches: method, path pattern, parameters) and a `Then` (one answer per documented
//! status), and the `MockServerExt` helper that hands both to a closure.

use proc_macro2::Literal;
use quote::quote;
use syn::{Expr, ImplItem, Stmt, Type, parse_quote};

use super::syntax::{
    call_of, integer_literal, is_ident, last_ident, path_ends_with, string_literal, unchain,
};
use super::table::Table;

/// progenitor's mock file.
pub struct Mock {
    operations_shell: syn::ItemMod,
    imports: Vec<syn::Item>,
    pub operations: Vec<OperationMock>,
    /// `trait MockServerExt` and its impl for `httpmock::MockServer`.
    rest: Vec<syn::Item>,
    /// Items steps add to the file, after progenitor's.
    pub added: Vec<syn::Item>,
    /// Tables steps write at the end of the file.
    pub tables: Vec<Table>,
}

/// The mock of one operation.
pub struct OperationMock {
    /// Its `MockServerExt` helper, named as progenitor names the operation (`list_devices`).
    pub helper: String,
    /// The name its `When` and `Then` share (`ListDevices`).
    pub name: String,
    pub when: When,
    pub then: Then,
}

/// `XWhen`: the request a mock matches.
pub struct When {
    strukt: syn::ItemStruct,
    impl_shell: syn::ItemImpl,
    new: syn::ImplItemFn,
    /// Headers `new` expects, each `(name, value)`, before the method.
    pub headers: Vec<(String, String)>,
    method: Expr,
    /// The path pattern `new` matches (`^/devices/[^/]*$`).
    pub path: String,
    members: Vec<WhenMember>,
}

enum WhenMember {
    /// `fn device_id(self, value: i64)`: the path with that parameter's value.
    Path(PathMatcher),
    Other(ImplItem),
}

struct PathMatcher {
    function: syn::ImplItemFn,
    pattern: String,
    arguments: Vec<Expr>,
}

/// `XThen`: the answers a mock gives.
pub struct Then {
    strukt: syn::ItemStruct,
    impl_shell: syn::ItemImpl,
    /// `new` and `into_inner`.
    members: Vec<ImplItem>,
    /// One per documented status, in order.
    pub answers: Vec<ThenAnswer>,
}

/// `fn ok(self, value: &T) -> Self`: one documented answer.
pub struct ThenAnswer {
    attrs: Vec<syn::Attribute>,
    vis: syn::Visibility,
    /// The method's name (`ok`, `not_found`).
    pub name: syn::Ident,
    pub status: u16,
    /// The type of `value`, when the answer takes one.
    pub argument: Option<Type>,
    /// The `content-type` the answer says.
    pub content_type: Option<String>,
    pub body: ThenBody,
}

/// How an answer serves `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThenBody {
    /// No body.
    None,
    /// `json_body_obj(value)`: a typed value as JSON.
    JsonObject,
    /// `json_body(value)`: a `serde_json::Value`.
    Json,
    /// `json_body(value.clone())`: a borrowed `serde_json::Value`.
    JsonBorrowed,
    /// `body(value)`: text.
    Text,
}

impl Mock {
    pub(super) fn parse(file: syn::File) -> Result<Self, String> {
        let mut operations_module = None;
        let mut rest = Vec::new();
        for item in file.items {
            match item {
                syn::Item::Mod(module) if module.ident == "operations" => {
                    operations_module = Some(module);
                }
                other => rest.push(other),
            }
        }
        let mut shell = operations_module.ok_or("progenitor's mock has no `mod operations`")?;
        let helpers = helpers(&rest)?;
        let (_, content) = shell
            .content
            .take()
            .ok_or("the mock's `mod operations` has no body")?;
        let mut imports = Vec::new();
        let mut structs = Vec::new();
        let mut impls = Vec::new();
        for item in content {
            match item {
                syn::Item::Use(_) => imports.push(item),
                syn::Item::Struct(strukt) => structs.push(strukt),
                syn::Item::Impl(block) => impls.push(block),
                _ => return Err("the mock's `mod operations` holds an unknown item".to_owned()),
            }
        }
        let mut take_impl = |name: &str| {
            impls
                .iter()
                .position(|block| last_ident(&block.self_ty).as_deref() == Some(name))
                .map(|at| impls.remove(at))
                .ok_or_else(|| format!("mock `{name}` has no `impl`"))
        };
        let mut whens = Vec::new();
        let mut thens = std::collections::BTreeMap::new();
        for strukt in structs {
            let type_name = strukt.ident.to_string();
            let block = take_impl(&type_name)?;
            if let Some(name) = type_name.strip_suffix("When") {
                whens.push((name.to_owned(), When::parse(strukt, block)?));
            } else if let Some(name) = type_name.strip_suffix("Then") {
                thens.insert(name.to_owned(), Then::parse(strukt, block)?);
            } else {
                return Err(format!(
                    "mock type `{type_name}` is neither a When nor a Then"
                ));
            }
        }
        let mut operations = Vec::new();
        for (name, when) in whens {
            let then = thens
                .remove(&name)
                .ok_or_else(|| format!("mock `{name}When` has no `{name}Then`"))?;
            let helper = helpers
                .iter()
                .find(|(_, of)| *of == name)
                .map(|(helper, _)| helper.clone())
                .ok_or_else(|| format!("no `MockServerExt` helper takes `{name}When`"))?;
            operations.push(OperationMock {
                helper,
                name,
                when,
                then,
            });
        }
        if let Some(name) = thens.keys().next() {
            return Err(format!("mock `{name}Then` has no `{name}When`"));
        }
        Ok(Self {
            operations_shell: shell,
            imports,
            operations,
            rest,
            added: Vec::new(),
            tables: Vec::new(),
        })
    }

    pub(super) fn file(&self) -> syn::File {
        let mut module = self.operations_shell.clone();
        let mut content = self.imports.clone();
        for operation in &self.operations {
            content.push(syn::Item::Struct(operation.when.strukt.clone()));
            content.push(syn::Item::Impl(operation.when.item()));
            content.push(syn::Item::Struct(operation.then.strukt.clone()));
            content.push(syn::Item::Impl(operation.then.item()));
        }
        module.content = Some((Default::default(), content));
        let mut items = vec![syn::Item::Mod(module)];
        items.extend(self.rest.iter().cloned());
        items.extend(self.added.iter().cloned());
        items.extend(
            self.tables
                .iter()
                .enumerate()
                .map(|(index, table)| table.placeholder(index)),
        );
        syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items,
        }
    }
}

/// Each helper of `trait MockServerExt` with the operation whose `When` it takes:
/// `fn list_devices<F>(..) where F: FnOnce(operations::ListDevicesWhen, ..)`.
fn helpers(items: &[syn::Item]) -> Result<Vec<(String, String)>, String> {
    let extension = items
        .iter()
        .find_map(|item| match item {
            syn::Item::Trait(found) if found.ident == "MockServerExt" => Some(found),
            _ => None,
        })
        .ok_or("progenitor's mock has no `trait MockServerExt`")?;
    let mut helpers = Vec::new();
    for item in &extension.items {
        let syn::TraitItem::Fn(function) = item else {
            continue;
        };
        let when = function
            .sig
            .generics
            .where_clause
            .iter()
            .flat_map(|clause| &clause.predicates)
            .find_map(|predicate| {
                let syn::WherePredicate::Type(predicate) = predicate else {
                    return None;
                };
                predicate.bounds.iter().find_map(|bound| {
                    let syn::TypeParamBound::Trait(bound) = bound else {
                        return None;
                    };
                    let last = bound.path.segments.last()?;
                    let syn::PathArguments::Parenthesized(args) = &last.arguments else {
                        return None;
                    };
                    last_ident(&args.inputs.first()?.ty)?
                        .strip_suffix("When")
                        .map(str::to_owned)
                })
            });
        let name = function.sig.ident.to_string();
        let when = when.ok_or_else(|| format!("`MockServerExt::{name}` takes no `When`"))?;
        helpers.push((name, when));
    }
    Ok(helpers)
}

impl When {
    fn parse(strukt: syn::ItemStruct, block: syn::ItemImpl) -> Result<Self, String> {
        let name = strukt.ident.to_string();
        let mut impl_shell = block;
        let mut new = None;
        let mut members = Vec::new();
        for member in std::mem::take(&mut impl_shell.items) {
            match member {
                ImplItem::Fn(function) if function.sig.ident == "new" => new = Some(function),
                ImplItem::Fn(function) => match PathMatcher::parse(&function) {
                    Some((pattern, arguments)) => members.push(WhenMember::Path(PathMatcher {
                        function,
                        pattern,
                        arguments,
                    })),
                    None => members.push(WhenMember::Other(ImplItem::Fn(function))),
                },
                other => members.push(WhenMember::Other(other)),
            }
        }
        let new = new.ok_or_else(|| format!("`{name}` has no `new`"))?;
        let (method, path) = when_new(&new)
            .ok_or_else(|| format!("`{name}::new` is not `inner.method(..).path_matches(..)`"))?;
        Ok(Self {
            strukt,
            impl_shell,
            new,
            headers: Vec::new(),
            method,
            path,
            members,
        })
    }

    fn item(&self) -> syn::ItemImpl {
        let mut block = self.impl_shell.clone();
        let mut new = self.new.clone();
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| quote!(.header(#name, #value)));
        let (method, path) = (&self.method, &self.path);
        new.block = parse_quote!({
            Self(
                inner #(#headers)*
                    .method(#method)
                    .path_matches(regex::Regex::new(#path).unwrap())
            )
        });
        block.items = vec![ImplItem::Fn(new)];
        block
            .items
            .extend(self.members.iter().map(|member| match member {
                WhenMember::Path(matcher) => ImplItem::Fn(matcher.function()),
                WhenMember::Other(other) => other.clone(),
            }));
        block
    }

    /// Every path pattern the mock matches: `new`'s, and each path parameter's (`^/devices/{}$`,
    /// the parameter's value in place of `{}`).
    pub fn path_patterns_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let matchers = self.members.iter_mut().filter_map(|member| match member {
            WhenMember::Path(matcher) => Some(&mut matcher.pattern),
            WhenMember::Other(_) => None,
        });
        std::iter::once(&mut self.path).chain(matchers)
    }
}

/// `new`'s `Self(inner.method(M).path_matches(regex::Regex::new("..").unwrap()))`: `M` and the
/// pattern.
fn when_new(new: &syn::ImplItemFn) -> Option<(Expr, String)> {
    let [Stmt::Expr(body, None)] = &new.block.stmts[..] else {
        return None;
    };
    let (wrapper, args) = call_of(body)?;
    if !wrapper.is_ident("Self") || args.len() != 1 {
        return None;
    }
    let (receiver, calls) = unchain(&args[0]);
    let [method, path] = &calls[..] else {
        return None;
    };
    if !is_ident(&receiver, "inner") || !method.is("method") || !path.is("path_matches") {
        return None;
    }
    Some((
        method.args.first()?.clone(),
        regex_pattern(path.args.first()?)?,
    ))
}

/// The literal of `regex::Regex::new("..").unwrap()`.
fn regex_pattern(expr: &Expr) -> Option<String> {
    let (receiver, calls) = unchain(expr);
    let [unwrap] = &calls[..] else { return None };
    let (path, args) = call_of(&receiver)?;
    (unwrap.is("unwrap") && path_ends_with(path, &["Regex", "new"]))
        .then(|| args.first().and_then(string_literal))
        .flatten()
}

impl PathMatcher {
    /// `let re = regex::Regex::new(&format!("..", args..)).unwrap(); Self(self.0.path_matches(re))`:
    /// the pattern and the format's other arguments.
    fn parse(function: &syn::ImplItemFn) -> Option<(String, Vec<Expr>)> {
        let [Stmt::Local(local), Stmt::Expr(last, None)] = &function.block.stmts[..] else {
            return None;
        };
        let (wrapper, wrapped) = call_of(last)?;
        let (receiver, calls) = unchain(wrapped.first()?);
        let is_path_match = wrapper.is_ident("Self")
            && calls.len() == 1
            && calls[0].is("path_matches")
            && matches!(&receiver, Expr::Field(field) if is_ident(&field.base, "self"));
        if !is_path_match {
            return None;
        }
        let (receiver, calls) = unchain(&local.init.as_ref()?.expr);
        let [unwrap] = &calls[..] else { return None };
        let (path, args) = call_of(&receiver)?;
        if !unwrap.is("unwrap") || !path_ends_with(path, &["Regex", "new"]) {
            return None;
        }
        let Expr::Reference(reference) = args.first()? else {
            return None;
        };
        let Expr::Macro(format) = &*reference.expr else {
            return None;
        };
        if !format.mac.path.is_ident("format") {
            return None;
        }
        let arguments = format
            .mac
            .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
            .ok()?;
        let mut arguments = arguments.into_iter();
        let pattern = string_literal(&arguments.next()?)?;
        Some((pattern, arguments.collect()))
    }

    fn function(&self) -> syn::ImplItemFn {
        let mut function = self.function.clone();
        let (pattern, arguments) = (&self.pattern, &self.arguments);
        function.block = parse_quote!({
            let re = regex::Regex::new(&format!(#pattern, #(#arguments),*)).unwrap();
            Self(self.0.path_matches(re))
        });
        function
    }
}

impl Then {
    fn parse(strukt: syn::ItemStruct, block: syn::ItemImpl) -> Result<Self, String> {
        let name = strukt.ident.to_string();
        let mut impl_shell = block;
        let mut members = Vec::new();
        let mut answers = Vec::new();
        for member in std::mem::take(&mut impl_shell.items) {
            match member {
                ImplItem::Fn(function)
                    if function.sig.ident == "new" || function.sig.ident == "into_inner" =>
                {
                    members.push(ImplItem::Fn(function));
                }
                ImplItem::Fn(function) => {
                    let answer = ThenAnswer::parse(&function).ok_or_else(|| {
                        format!(
                            "`{name}::{}` is not `Self(self.0.status(N)..)`",
                            function.sig.ident
                        )
                    })?;
                    answers.push(answer);
                }
                _ => return Err(format!("`{name}` has a member that is not a method")),
            }
        }
        Ok(Self {
            strukt,
            impl_shell,
            members,
            answers,
        })
    }

    fn item(&self) -> syn::ItemImpl {
        let mut block = self.impl_shell.clone();
        block.items = self.members.clone();
        block
            .items
            .extend(self.answers.iter().map(|a| ImplItem::Fn(a.function())));
        block
    }
}

impl ThenAnswer {
    fn parse(function: &syn::ImplItemFn) -> Option<Self> {
        let mut inputs = function.sig.inputs.iter();
        if !matches!(inputs.next(), Some(syn::FnArg::Receiver(_))) {
            return None;
        }
        let argument = match inputs.next() {
            Some(syn::FnArg::Typed(typed)) => {
                let named_value =
                    matches!(&*typed.pat, syn::Pat::Ident(ident) if ident.ident == "value");
                if !named_value {
                    return None;
                }
                Some((*typed.ty).clone())
            }
            Some(syn::FnArg::Receiver(_)) => return None,
            None => None,
        };
        if inputs.next().is_some() {
            return None;
        }
        let [Stmt::Expr(body, None)] = &function.block.stmts[..] else {
            return None;
        };
        let (wrapper, args) = call_of(body)?;
        if !wrapper.is_ident("Self") || args.len() != 1 {
            return None;
        }
        let (receiver, calls) = unchain(&args[0]);
        let is_inner = matches!(&receiver, Expr::Field(field) if is_ident(&field.base, "self"));
        let mut calls = calls.iter();
        let status = calls.next().filter(|c| c.is("status"))?;
        let status = u16::try_from(integer_literal(status.args.first()?)?).ok()?;
        let mut content_type = None;
        let mut body = ThenBody::None;
        for call in calls {
            match call.method.to_string().as_str() {
                "header" if content_type.is_none() => {
                    let [name, value] = call.args.iter().collect::<Vec<_>>()[..] else {
                        return None;
                    };
                    if string_literal(name)? != "content-type" {
                        return None;
                    }
                    content_type = Some(string_literal(value)?);
                }
                "json_body_obj" if body == ThenBody::None => body = ThenBody::JsonObject,
                "json_body" if body == ThenBody::None => {
                    body = if call.args.first().is_some_and(|a| is_ident(a, "value")) {
                        ThenBody::Json
                    } else {
                        ThenBody::JsonBorrowed
                    };
                }
                "body" if body == ThenBody::None => body = ThenBody::Text,
                _ => return None,
            }
        }
        is_inner.then(|| Self {
            attrs: function.attrs.clone(),
            vis: function.vis.clone(),
            name: function.sig.ident.clone(),
            status,
            argument,
            content_type,
            body,
        })
    }

    fn function(&self) -> syn::ImplItemFn {
        let (attrs, vis, name) = (&self.attrs, &self.vis, &self.name);
        let status = Literal::u16_suffixed(self.status);
        let parameter = self.argument.as_ref().map(|ty| quote!(, value: #ty));
        let content_type = self
            .content_type
            .as_ref()
            .map(|media_type| quote!(.header("content-type", #media_type)));
        let body = match self.body {
            ThenBody::None => quote!(),
            ThenBody::JsonObject => quote!(.json_body_obj(value)),
            ThenBody::Json => quote!(.json_body(value)),
            ThenBody::JsonBorrowed => quote!(.json_body(value.clone())),
            ThenBody::Text => quote!(.body(value)),
        };
        parse_quote! {
            #(#attrs)*
            #vis fn #name(self #parameter) -> Self {
                Self(self.0.status(#status) #content_type #body)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progenitors_mock() -> syn::File {
        parse_quote! {
            pub mod operations {
                use crate::*;
                pub struct CancelJobWhen(::httpmock::When);
                impl CancelJobWhen {
                    pub fn new(inner: ::httpmock::When) -> Self {
                        Self(
                            inner
                                .method(::httpmock::Method::POST)
                                .path_matches(regex::Regex::new("^/jobs/[^/]*/cancel$").unwrap()),
                        )
                    }
                    pub fn into_inner(self) -> ::httpmock::When {
                        self.0
                    }
                    pub fn job_id(self, value: i64) -> Self {
                        let re = regex::Regex::new(&format!("^/jobs/{}/cancel$", value.to_string()))
                            .unwrap();
                        Self(self.0.path_matches(re))
                    }
                }
                pub struct CancelJobThen(::httpmock::Then);
                impl CancelJobThen {
                    pub fn new(inner: ::httpmock::Then) -> Self {
                        Self(inner)
                    }
                    pub fn into_inner(self) -> ::httpmock::Then {
                        self.0
                    }
                    pub fn ok(self, value: &types::Job) -> Self {
                        Self(
                            self.0
                                .status(200u16)
                                .header("content-type", "application/json")
                                .json_body_obj(value),
                        )
                    }
                    pub fn precondition_failed(self) -> Self {
                        Self(self.0.status(412u16))
                    }
                }
            }
            pub trait MockServerExt {
                fn cancel_job<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
                where
                    F: FnOnce(operations::CancelJobWhen, operations::CancelJobThen);
            }
        }
    }

    #[test]
    fn mocks_come_apart_and_back_together() {
        let file = progenitors_mock();
        let mut mock = Mock::parse(file.clone()).expect("progenitor's shape");
        let printed = |file: &syn::File| prettyplease::unparse(file);
        assert!(mock.tables.is_empty());
        assert_eq!(printed(&mock.file()), printed(&file));

        let [operation] = &mut mock.operations[..] else {
            panic!("one operation");
        };
        assert_eq!(
            (operation.helper.as_str(), operation.name.as_str()),
            ("cancel_job", "CancelJob")
        );
        let answers: Vec<(u16, bool, Option<&str>, ThenBody)> = operation
            .then
            .answers
            .iter()
            .map(|a| {
                (
                    a.status,
                    a.argument.is_some(),
                    a.content_type.as_deref(),
                    a.body,
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                (200, true, Some("application/json"), ThenBody::JsonObject),
                (412, false, None, ThenBody::None)
            ]
        );
        let patterns: Vec<String> = operation
            .when
            .path_patterns_mut()
            .map(|p| p.clone())
            .collect();
        assert_eq!(patterns, ["^/jobs/[^/]*/cancel$", "^/jobs/{}/cancel$"]);
        for pattern in operation.when.path_patterns_mut() {
            *pattern = pattern.replacen("^/", "^/api/", 1);
        }
        operation
            .when
            .headers
            .push(("accept".into(), "text/plain".into()));
        let written = printed(&mock.file());
        let expected = written.find(r#".header("accept", "text/plain")"#);
        assert!(
            expected < written.find(".method(") && expected.is_some(),
            "{written}"
        );
        assert!(
            written.contains(r#"format!("^/api/jobs/{}/cancel$""#),
            "{written}"
        );
    }

    #[test]
    fn a_when_without_a_path_is_named() {
        let mut file = progenitors_mock();
        let syn::Item::Mod(module) = &mut file.items[0] else {
            panic!("mod operations");
        };
        let items = &mut module.content.as_mut().expect("a body").1;
        items[2] = parse_quote! {
            impl CancelJobWhen {
                pub fn new(inner: ::httpmock::When) -> Self { Self(inner) }
            }
        };
        let error = Mock::parse(file).err().expect("not progenitor's shape");
        assert!(error.contains("`CancelJobWhen::new`"), "{error}");
    }
}
