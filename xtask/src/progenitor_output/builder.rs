//! `mod builder`: one request builder per operation, with its typed setters and its `send`.

use syn::{ImplItem, Type, parse_quote};

use super::exchange::Exchange;
use super::syntax::{last_ident, type_arguments};
use super::table::Table;

/// The builders module.
pub struct Builders {
    shell: syn::ItemMod,
    imports: Vec<syn::Item>,
    pub builders: Vec<Builder>,
    /// Items steps add to the module, after progenitor's.
    pub added: Vec<syn::Item>,
    /// Tables steps write at the end of the module.
    pub tables: Vec<Table>,
}

/// One operation's request builder.
pub struct Builder {
    /// Its name (`ListDevices`).
    pub name: String,
    strukt: syn::ItemStruct,
    impl_shell: syn::ItemImpl,
    /// `new`, the setters and `body_map`, as written, in order.
    members: Vec<ImplItem>,
    /// Its setters (`filter`, `device_id`, `body`), each with the type it takes.
    pub setters: Vec<Setter>,
    pub send: Send,
    /// Methods steps add to its `impl`, after `send`.
    pub added: Vec<ImplItem>,
}

/// A setter `fn name<V>(self, value: V) where V: TryInto<T>`.
pub struct Setter {
    pub name: String,
    /// `T`.
    pub target: Type,
}

/// A builder's `send`: `async fn send(self) -> Result<ResponseValue<T>, Error<E>>`.
pub struct Send {
    /// The method as progenitor wrote it; its parts below replace its own when written back.
    function: syn::ImplItemFn,
    attrs: Vec<syn::Attribute>,
    pub vis: syn::Visibility,
    sig: syn::Signature,
    /// `T`, the answer's type.
    pub output: Type,
    /// `E`, the type of a documented error's body.
    pub error: Type,
    pub exchange: Exchange,
}

impl Builders {
    pub(super) fn parse(module: syn::ItemMod) -> Result<Self, String> {
        let mut shell = module;
        let (_, content) = shell
            .content
            .take()
            .ok_or("progenitor's `mod builder` has no body")?;
        let mut imports = Vec::new();
        let mut structs = Vec::new();
        let mut impls = Vec::new();
        for item in content {
            match item {
                syn::Item::Use(_) => imports.push(item),
                syn::Item::Struct(strukt) => structs.push(strukt),
                syn::Item::Impl(block) if block.trait_.is_none() => impls.push(block),
                other => {
                    return Err(format!(
                        "progenitor's `mod builder` holds an item the model does not know: {}",
                        item_kind(&other)
                    ));
                }
            }
        }
        let mut builders = Vec::new();
        for strukt in structs {
            let name = strukt.ident.to_string();
            let at = impls
                .iter()
                .position(|block| last_ident(&block.self_ty).as_deref() == Some(&name))
                .ok_or_else(|| format!("builder `{name}` has no `impl`"))?;
            builders.push(Builder::parse(strukt, impls.remove(at))?);
        }
        if let Some(stray) = impls.first() {
            return Err(format!(
                "an `impl` of `{}` in `mod builder` has no struct",
                last_ident(&stray.self_ty).unwrap_or_default()
            ));
        }
        if builders.is_empty() {
            return Err("progenitor generated no builder".to_owned());
        }
        Ok(Self {
            shell,
            imports,
            builders,
            added: Vec::new(),
            tables: Vec::new(),
        })
    }

    pub(super) fn item(&self) -> syn::Item {
        let mut module = self.shell.clone();
        let mut items = self.imports.clone();
        for builder in &self.builders {
            items.push(syn::Item::Struct(builder.strukt.clone()));
            items.push(syn::Item::Impl(builder.item()));
        }
        items.extend(self.added.iter().cloned());
        items.extend(
            self.tables
                .iter()
                .enumerate()
                .map(|(index, table)| table.placeholder(index)),
        );
        module.content = Some((Default::default(), items));
        syn::Item::Mod(module)
    }

    pub(super) fn visit_attributes(&mut self, visit: &mut dyn FnMut(&mut syn::Attribute)) {
        self.shell.attrs.iter_mut().for_each(&mut *visit);
        for builder in &mut self.builders {
            builder.strukt.attrs.iter_mut().for_each(&mut *visit);
            for member in &mut builder.members {
                if let ImplItem::Fn(function) = member {
                    function.attrs.iter_mut().for_each(&mut *visit);
                }
            }
            builder.send.attrs.iter_mut().for_each(&mut *visit);
        }
    }
}

fn item_kind(item: &syn::Item) -> &'static str {
    match item {
        syn::Item::Enum(_) => "an enum",
        syn::Item::Fn(_) => "a function",
        syn::Item::Impl(_) => "a trait impl",
        syn::Item::Mod(_) => "a module",
        _ => "an item",
    }
}

impl Builder {
    fn parse(strukt: syn::ItemStruct, block: syn::ItemImpl) -> Result<Self, String> {
        let name = strukt.ident.to_string();
        let mut impl_shell = block;
        let mut members = Vec::new();
        let mut setters = Vec::new();
        let mut send = None;
        for member in std::mem::take(&mut impl_shell.items) {
            match member {
                ImplItem::Fn(function) if function.sig.ident == "send" => {
                    if send.is_some() {
                        return Err(format!("builder `{name}` has two `send`s"));
                    }
                    send = Some(Send::parse(function, &name)?);
                }
                ImplItem::Fn(function) => {
                    if let Some(target) = try_into_target(&function.sig) {
                        setters.push(Setter {
                            name: function.sig.ident.to_string(),
                            target,
                        });
                    }
                    members.push(ImplItem::Fn(function));
                }
                other => members.push(other),
            }
        }
        let send = send.ok_or_else(|| format!("builder `{name}` has no `send`"))?;
        Ok(Self {
            name,
            strukt,
            impl_shell,
            members,
            setters,
            send,
            added: Vec::new(),
        })
    }

    fn item(&self) -> syn::ItemImpl {
        let mut block = self.impl_shell.clone();
        block.items = self.members.clone();
        block.items.push(ImplItem::Fn(self.send.function()));
        block.items.extend(self.added.iter().cloned());
        block
    }

    /// Every identifier its struct and `impl` name: the types it reaches first.
    pub fn mentions(&self) -> std::collections::BTreeSet<String> {
        let mut found = super::syntax::idents(&self.strukt);
        found.extend(super::syntax::idents(&self.item()));
        // The answer and error types are named in the operation table's row, not in the
        // builder's own items, since `send` became `build_request`.
        found.extend(super::syntax::idents(&self.send.output));
        found.extend(super::syntax::idents(&self.send.error));
        found
    }

    /// The setter `name`.
    pub fn setter(&self, name: &str) -> Option<&Setter> {
        self.setters.iter().find(|s| s.name == name)
    }

    /// The builder's type (`ListDevices<'a>` has one lifetime, `'a`).
    pub fn ident(&self) -> &syn::Ident {
        &self.strukt.ident
    }
}

impl Send {
    fn parse(function: syn::ImplItemFn, builder: &str) -> Result<Self, String> {
        let fail = |what: &str| format!("`{builder}::send` {what}");
        let syn::ReturnType::Type(_, returned) = &function.sig.output else {
            return Err(fail("returns nothing"));
        };
        let [ok, err] = <[Type; 2]>::try_from(type_arguments(returned))
            .map_err(|_| fail("does not return a Result"))?;
        let output = type_arguments(&ok).into_iter().next();
        let error = type_arguments(&err).into_iter().next();
        let (Some(output), Some(error)) = (output, error) else {
            return Err(fail("does not return Result<ResponseValue<_>, Error<_>>"));
        };
        let exchange = Exchange::parse(&function.block, builder)?;
        Ok(Self {
            attrs: function.attrs.clone(),
            vis: function.vis.clone(),
            sig: function.sig.clone(),
            function,
            output,
            error,
            exchange,
        })
    }

    fn function(&self) -> syn::ImplItemFn {
        let mut function = self.function.clone();
        function.attrs = self.attrs.clone();
        function.vis = self.vis.clone();
        function.sig = self.sig.clone();
        // The request alone: the runtime sends it and reads the answer (`Runtime::send`). It
        // stays an `async fn`, though it never waits: its body is then compiled only where a
        // send is awaited (`junos_space_runtime::Sending`).
        function.sig.output = parse_quote!(-> Result<::reqwest::Request, Error>);
        function.block = self.exchange.request_block();
        function
    }

    /// progenitor's snake-case operation id (`list_devices`).
    pub fn operation_id(&self) -> &str {
        &self.exchange.operation_id
    }

    /// The method's name (`send` as progenitor writes it).
    pub fn name(&self) -> &syn::Ident {
        &self.sig.ident
    }

    /// Renames the method.
    pub fn rename(&mut self, name: &str) {
        self.sig.ident = syn::Ident::new(name, self.sig.ident.span());
    }

    /// Takes its doc comment away, to give it to another method.
    pub fn take_docs(&mut self) -> Vec<syn::Attribute> {
        let (docs, others) = std::mem::take(&mut self.attrs)
            .into_iter()
            .partition(|a| a.path().is_ident("doc"));
        self.attrs = others;
        docs
    }

    /// Adds an attribute (a doc line).
    pub fn push_attribute(&mut self, attribute: syn::Attribute) {
        self.attrs.push(attribute);
    }
}

/// A type as progenitor names it inside `mod builder` (`types::DiscoverDevicesRequest`),
/// named from the crate root (`crate::types::DiscoverDevicesRequest`), for code outside it.
pub fn from_crate_root(ty: &Type) -> Type {
    struct Rooted;
    impl syn::visit_mut::VisitMut for Rooted {
        fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
            syn::visit_mut::visit_type_path_mut(self, path);
            let in_types = path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path
                    .path
                    .segments
                    .first()
                    .is_some_and(|s| s.ident == "types");
            if in_types {
                let inner = &path.path;
                path.path = parse_quote!(crate::#inner);
            }
        }
    }
    let mut rooted = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Rooted, &mut rooted);
    rooted
}

/// `T` of the `V: ...TryInto<T>` bound in a setter's where clause.
fn try_into_target(signature: &syn::Signature) -> Option<Type> {
    signature
        .generics
        .where_clause
        .as_ref()?
        .predicates
        .iter()
        .find_map(|predicate| {
            let syn::WherePredicate::Type(predicate) = predicate else {
                return None;
            };
            let Type::Path(bounded) = &predicate.bounded_ty else {
                return None;
            };
            if !bounded.path.is_ident("V") {
                return None;
            }
            predicate.bounds.iter().find_map(|bound| {
                let syn::TypeParamBound::Trait(bound) = bound else {
                    return None;
                };
                let last = bound.path.segments.last()?;
                if last.ident != "TryInto" {
                    return None;
                }
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                    return None;
                };
                args.args.iter().find_map(|arg| match arg {
                    syn::GenericArgument::Type(ty) => Some(ty.clone()),
                    _ => None,
                })
            })
        })
}
