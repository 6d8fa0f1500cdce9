//! The client file: its imports, `mod types`, the `Client` struct and its constructor, the
//! method per operation, `mod builder`, and `mod prelude`.

use syn::{Expr, ImplItem, Stmt, parse_quote};

use super::builder::Builders;
use super::syntax::{call_of, expr_path, integer_literal, is_ident, last_ident, path_ends_with};
use super::types::{Types, TypesItem};

/// progenitor's client file.
pub struct Client {
    imports: Vec<syn::Item>,
    pub types: Types,
    strukt: syn::ItemStruct,
    pub constructor: Constructor,
    /// `impl ClientInfo for Client` and the check that `ClientHooks` is implemented.
    info: Vec<syn::Item>,
    /// `impl Client { pub fn list_devices(&self) -> builder::ListDevices<'_> .. }`
    methods: syn::ItemImpl,
    pub builders: Builders,
    /// `mod prelude`.
    rest: Vec<syn::Item>,
    /// Items steps add to the file, after progenitor's.
    pub added: Vec<syn::Item>,
}

/// `impl Client { fn new(..), fn new_with_client(..) }`.
pub struct Constructor {
    impl_shell: syn::ItemImpl,
    new: syn::ImplItemFn,
    others: Vec<ImplItem>,
    /// The request timeout `new` builds its HTTP client with, in seconds.
    pub timeout_secs: u64,
}

impl Client {
    pub(super) fn parse(file: syn::File) -> Result<Self, String> {
        let mut imports = Vec::new();
        let mut types = None;
        let mut builders = None;
        let mut strukt = None;
        let mut constructor = None;
        let mut methods = None;
        let mut info = Vec::new();
        let mut rest = Vec::new();
        for item in file.items {
            match item {
                syn::Item::Use(_) => imports.push(item),
                syn::Item::Mod(module) if module.ident == "types" => {
                    types = Some(Types::parse(module)?);
                }
                syn::Item::Mod(module) if module.ident == "builder" => {
                    builders = Some(Builders::parse(module)?);
                }
                syn::Item::Mod(_) => rest.push(item),
                syn::Item::Struct(found) if found.ident == "Client" => strukt = Some(found),
                syn::Item::Impl(block)
                    if block.trait_.is_none()
                        && last_ident(&block.self_ty).as_deref() == Some("Client") =>
                {
                    let has_new = block
                        .items
                        .iter()
                        .any(|member| matches!(member, ImplItem::Fn(f) if f.sig.ident == "new"));
                    if has_new {
                        constructor = Some(Constructor::parse(block)?);
                    } else if methods.replace(block).is_some() {
                        return Err("two `impl Client` blocks of operation methods".to_owned());
                    }
                }
                other => info.push(other),
            }
        }
        let missing = |what: &str| format!("progenitor generated no {what}");
        Ok(Self {
            imports,
            types: types.ok_or_else(|| missing("`mod types`"))?,
            strukt: strukt.ok_or_else(|| missing("`struct Client`"))?,
            constructor: constructor.ok_or_else(|| missing("`Client::new`"))?,
            info,
            methods: methods.ok_or_else(|| missing("method per operation on `Client`"))?,
            builders: builders.ok_or_else(|| missing("`mod builder`"))?,
            rest,
            added: Vec::new(),
        })
    }

    pub(super) fn file(&self) -> syn::File {
        let mut items = self.imports.clone();
        items.push(self.types.item());
        items.push(syn::Item::Struct(self.strukt.clone()));
        items.push(syn::Item::Impl(self.constructor.item()));
        items.extend(self.info.iter().cloned());
        items.push(syn::Item::Impl(self.methods.clone()));
        items.push(self.builders.item());
        items.extend(self.rest.iter().cloned());
        items.extend(self.added.iter().cloned());
        syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items,
        }
    }

    /// Calls `visit` on every attribute of progenitor's items that carries documentation:
    /// the types, the client, its methods and the builders.
    pub fn visit_attributes(&mut self, visit: &mut dyn FnMut(&mut syn::Attribute)) {
        struct Attributes<'v>(&'v mut dyn FnMut(&mut syn::Attribute));
        impl syn::visit_mut::VisitMut for Attributes<'_> {
            fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
                (self.0)(attribute);
            }
        }
        let mut attributes = Attributes(visit);
        use syn::visit_mut::VisitMut as _;
        for item in &mut self.types.items {
            match item {
                TypesItem::Struct(strukt) => strukt.visit_attributes(&mut *attributes.0),
                TypesItem::Other(other) => attributes.visit_item_mut(other),
            }
        }
        attributes.visit_item_struct_mut(&mut self.strukt);
        self.constructor
            .new
            .attrs
            .iter_mut()
            .for_each(&mut *attributes.0);
        attributes.visit_item_impl_mut(&mut self.methods);
        self.builders.visit_attributes(&mut *attributes.0);
        for item in &mut self.rest {
            attributes.visit_item_mut(item);
        }
    }
}

impl Constructor {
    fn parse(block: syn::ItemImpl) -> Result<Self, String> {
        let mut impl_shell = block;
        let mut new = None;
        let mut others = Vec::new();
        for member in std::mem::take(&mut impl_shell.items) {
            match member {
                ImplItem::Fn(function) if function.sig.ident == "new" => new = Some(function),
                other => others.push(other),
            }
        }
        let new = new.ok_or("`impl Client` has no `new`")?;
        let timeout_secs =
            timeout_of(&new).ok_or("`Client::new` sets no `Duration::from_secs(..)` timeout")?;
        Ok(Self {
            impl_shell,
            new,
            others,
            timeout_secs,
        })
    }

    fn item(&self) -> syn::ItemImpl {
        let mut block = self.impl_shell.clone();
        block.items = vec![ImplItem::Fn(self.new.clone())];
        block.items.extend(self.others.iter().cloned());
        block
    }

    /// Gives `new` its inner value (progenitor's `inner` argument, the runtime) as `value`
    /// instead of a parameter. Fails when `new` takes no `inner` or does not pass it on to
    /// `new_with_client` exactly once.
    pub fn new_with_inner(&mut self, value: Expr) -> Result<(), String> {
        let before = self.new.sig.inputs.len();
        self.new.sig.inputs = self
            .new
            .sig
            .inputs
            .iter()
            .filter(|input| !is_parameter(input, "inner"))
            .cloned()
            .collect();
        if self.new.sig.inputs.len() + 1 != before {
            return Err("`Client::new` has no `inner` parameter".to_owned());
        }
        let Some(Stmt::Expr(Expr::Call(call), None)) = self.new.block.stmts.last_mut() else {
            return Err("`Client::new` does not end with `Self::new_with_client(..)`".to_owned());
        };
        let calls_new_with_client = expr_path(&call.func)
            .is_some_and(|path| path_ends_with(path, &["Self", "new_with_client"]));
        let mut inner: Vec<&mut Expr> = call
            .args
            .iter_mut()
            .filter(|arg| is_ident(arg, "inner"))
            .collect();
        match &mut inner[..] {
            [argument] if calls_new_with_client => **argument = value,
            _ => {
                return Err(
                    "`Client::new` does not pass `inner` to `new_with_client` once".to_owned(),
                );
            }
        }
        Ok(())
    }

    /// Adds a line to the doc comment of `new`.
    pub fn document_new(&mut self, line: &str) {
        self.new.attrs.push(parse_quote!(#[doc = #line]));
    }
}

fn is_parameter(input: &syn::FnArg, name: &str) -> bool {
    match input {
        syn::FnArg::Typed(typed) => {
            matches!(&*typed.pat, syn::Pat::Ident(ident) if ident.ident == name)
        }
        syn::FnArg::Receiver(_) => false,
    }
}

/// The seconds of the first `Duration::from_secs(N)` in `new`.
fn timeout_of(new: &syn::ImplItemFn) -> Option<u64> {
    struct Find(Option<u64>);
    impl syn::visit_mut::VisitMut for Find {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if self.0.is_none()
                && let Some((path, args)) = call_of(expr)
                && path_ends_with(path, &["Duration", "from_secs"])
                && let [seconds] = args.iter().collect::<Vec<_>>()[..]
            {
                self.0 = integer_literal(seconds);
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    // The model reads; the copy is only searched.
    let mut find = Find(None);
    syn::visit_mut::VisitMut::visit_block_mut(&mut find, &mut new.block.clone());
    find.0
}
