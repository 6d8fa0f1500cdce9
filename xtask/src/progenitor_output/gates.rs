//! Cargo features on progenitor's items: which `#[cfg(...)]` each item named for a type or an
//! operation gets when the file is printed. The steps decide the conditions (`crate::features`);
//! this module only knows where progenitor puts the items they apply to.

use std::collections::BTreeMap;

use super::syntax::{last_ident, type_arguments};

/// The condition of each gated name; a name without one is in every build.
#[derive(Default)]
pub struct Gates {
    /// Structs, enums and impls named for a type of `mod types` (`DeviceList`), in `mod
    /// types` and its `mod builder`.
    types: BTreeMap<String, syn::Meta>,
    /// Structs and impls named for an operation's builder (`ListDevices`) or mock
    /// (`ListDevicesWhen`, `ListDevicesThen`).
    items: BTreeMap<String, syn::Meta>,
    /// Methods named for an operation (`list_devices`) in `impl Client`, `trait
    /// MockServerExt` and its impl.
    methods: BTreeMap<String, syn::Meta>,
    /// The struct builder of a type (typify's `types::builder::DeviceList`, and
    /// `DeviceList::builder()`), where it has a condition of its own.
    builders: BTreeMap<String, syn::Meta>,
    /// The condition under which a type of `mod types` derives `Serialize`, where it is not
    /// every build of the type.
    serialize: BTreeMap<String, syn::Meta>,
}

impl Gates {
    /// Gates the type `name` of `mod types` on `condition`.
    pub fn gate_type(&mut self, name: &str, condition: syn::Meta) {
        self.types.insert(name.to_owned(), condition);
    }

    /// Gates the items named `name` outside `mod types` on `condition`.
    pub fn gate_item(&mut self, name: &str, condition: syn::Meta) {
        self.items.insert(name.to_owned(), condition);
    }

    /// Gates the methods named `name` on `condition`.
    pub fn gate_method(&mut self, name: &str, condition: syn::Meta) {
        self.methods.insert(name.to_owned(), condition);
    }

    /// Gates the struct builder of the type `name` on `condition`, in place of the type's.
    pub fn gate_builder(&mut self, name: &str, condition: syn::Meta) {
        self.builders.insert(name.to_owned(), condition);
    }

    /// Derives `Serialize` for the type `name` only under `condition`: its derive and its
    /// `#[serde(...)]` arguments (which only `Serialize` reads: `Deserialize` is written by
    /// table) become `cfg_attr`s.
    pub fn gate_serialize(&mut self, name: &str, condition: syn::Meta) {
        self.serialize.insert(name.to_owned(), condition);
    }

    /// Puts each condition on the items of `items` it names: inside `mod types` by type
    /// name, elsewhere by builder or mock name, and on the methods of impls and traits.
    pub(super) fn apply(&self, items: &mut [syn::Item]) {
        self.apply_in(items, Module::Other);
    }

    fn apply_in(&self, items: &mut [syn::Item], module: Module) {
        for item in items {
            if let Module::Types = module
                && let Some(condition) = subject(item).and_then(|name| self.serialize.get(&name))
            {
                serialize_only_under(item, condition);
            }
            let condition = subjects(item).iter().find_map(|name| match module {
                Module::Other => self.items.get(name),
                Module::TypeBuilders => self.builders.get(name).or(self.types.get(name)),
                Module::Types if is_builder_constructor(item) => {
                    self.builders.get(name).or(self.types.get(name))
                }
                Module::Types => self.types.get(name),
            });
            if let Some(condition) = condition {
                push_cfg(attributes(item), condition);
                continue;
            }
            match item {
                syn::Item::Mod(inner) => {
                    let inner_module = match module {
                        _ if inner.ident == "types" => Module::Types,
                        Module::Types if inner.ident == "builder" => Module::TypeBuilders,
                        other => other,
                    };
                    if let Some((_, content)) = &mut inner.content {
                        self.apply_in(content, inner_module);
                    }
                }
                syn::Item::Impl(block) if holds_operation_methods(block) => {
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(function) = member
                            && let Some(condition) =
                                self.methods.get(&function.sig.ident.to_string())
                        {
                            push_cfg(&mut function.attrs, condition);
                        }
                    }
                }
                syn::Item::Trait(trait_item) if trait_item.ident == MOCK_HELPERS => {
                    for member in &mut trait_item.items {
                        if let syn::TraitItem::Fn(function) = member
                            && let Some(condition) =
                                self.methods.get(&function.sig.ident.to_string())
                        {
                            push_cfg(&mut function.attrs, condition);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Where an item stands: `mod types`, typify's `mod builder` in it, or elsewhere.
#[derive(Clone, Copy)]
enum Module {
    Types,
    TypeBuilders,
    Other,
}

/// `impl DeviceList { pub fn builder() -> builder::DeviceList }`: a type's way to its builder.
fn is_builder_constructor(item: &syn::Item) -> bool {
    let syn::Item::Impl(block) = item else {
        return false;
    };
    block.trait_.is_none()
        && !block.items.is_empty()
        && block
            .items
            .iter()
            .all(|member| matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
}

/// The trait of the mock helpers, one method per operation.
const MOCK_HELPERS: &str = "MockServerExt";

/// `impl Client` (a method per operation) and the mock helpers' impl: the blocks whose
/// methods are named for operations. Elsewhere a method of that name is a field's setter.
fn holds_operation_methods(block: &syn::ItemImpl) -> bool {
    let of_trait = block
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last());
    match of_trait {
        Some(segment) => segment.ident == MOCK_HELPERS,
        None => last_ident(&block.self_ty).as_deref() == Some("Client"),
    }
}

/// The name an item is about: a struct's or enum's own, an impl's type's.
fn subject(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(strukt) => Some(strukt.ident.to_string()),
        syn::Item::Enum(enumeration) => Some(enumeration.ident.to_string()),
        syn::Item::Impl(block) => last_ident(&block.self_ty),
        _ => None,
    }
}

/// The names an item is gated by, in order: its subject, then for an impl of a trait on a
/// type that is not the spec's (`impl From<DeviceEntries> for Vec<DeviceEntriesItem>`, which
/// progenitor writes for a schema that is an array) the types in the trait's and the self
/// type's arguments, so that such an impl is compiled with the type it converts.
fn subjects(item: &syn::Item) -> Vec<String> {
    let mut names: Vec<String> = subject(item).into_iter().collect();
    if let syn::Item::Impl(block) = item {
        if let Some((trait_path, _)) = &block.trait_
            && let Some(segment) = trait_path.segments.last()
            && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        {
            names.extend(args.args.iter().filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => last_ident(ty),
                _ => None,
            }));
        }
        names.extend(type_arguments(&block.self_ty).iter().filter_map(last_ident));
    }
    names
}

fn attributes(item: &mut syn::Item) -> &mut Vec<syn::Attribute> {
    match item {
        syn::Item::Struct(strukt) => &mut strukt.attrs,
        syn::Item::Enum(enumeration) => &mut enumeration.attrs,
        syn::Item::Impl(block) => &mut block.attrs,
        _ => unreachable!("only items with a subject are gated"),
    }
}

/// Turns the `Serialize` derive of a struct or enum, and every `#[serde(...)]` on it, its
/// fields and its variants, into `cfg_attr`s on `condition`. An item that does not derive
/// `Serialize` is left as it is.
fn serialize_only_under(item: &mut syn::Item, condition: &syn::Meta) {
    let attributes = match item {
        syn::Item::Struct(strukt) => &mut strukt.attrs,
        syn::Item::Enum(enumeration) => &mut enumeration.attrs,
        _ => return,
    };
    if !super::types::without_derive(attributes, "Serialize") {
        return;
    }
    serde_only_under(attributes, condition);
    attributes.push(syn::parse_quote!(#[cfg_attr(#condition, derive(::serde::Serialize))]));
    let fields: Vec<&mut syn::Field> = match item {
        syn::Item::Struct(strukt) => strukt.fields.iter_mut().collect(),
        syn::Item::Enum(enumeration) => enumeration
            .variants
            .iter_mut()
            .flat_map(|variant| {
                serde_only_under(&mut variant.attrs, condition);
                variant.fields.iter_mut()
            })
            .collect(),
        _ => Vec::new(),
    };
    for field in fields {
        serde_only_under(&mut field.attrs, condition);
    }
}

/// `#[serde(args)]` among `attributes` as `#[cfg_attr(condition, serde(args))]`.
fn serde_only_under(attributes: &mut [syn::Attribute], condition: &syn::Meta) {
    for attribute in attributes {
        if let syn::Meta::List(list) = &attribute.meta
            && list.path.is_ident("serde")
        {
            let serde = &attribute.meta;
            *attribute = syn::parse_quote!(#[cfg_attr(#condition, #serde)]);
        }
    }
}

fn push_cfg(attributes: &mut Vec<syn::Attribute>, condition: &syn::Meta) {
    attributes.insert(0, syn::parse_quote!(#[cfg(#condition)]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn each_item_gets_the_condition_of_its_name_in_its_module() {
        let mut gates = Gates::default();
        gates.gate_type("DeviceList", parse_quote!(feature = "device-management"));
        gates.gate_item("ListDevices", parse_quote!(feature = "device-management"));
        gates.gate_method("list_devices", parse_quote!(feature = "device-management"));
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct DeviceList;
                impl From<&DeviceList> for DeviceList { fn from(v: &DeviceList) -> Self { todo!() } }
                impl From<DeviceList> for Vec<Link> { fn from(v: DeviceList) -> Self { todo!() } }
                pub struct Link;
                pub mod builder { pub struct DeviceList; pub struct ListDevices; }
            }
            impl Client { pub fn list_devices(&self) {} pub fn login(&self) {} }
            pub mod builder { pub struct ListDevices; pub struct DeviceList; }
            pub trait MockServerExt { fn list_devices(&self); }
        };
        gates.apply(&mut file.items);
        let printed = prettyplease::unparse(&file);
        let gated = printed
            .matches("#[cfg(feature = \"device-management\")]")
            .count();
        // In `types`: the struct, its impls (the conversion into a `Vec` too: progenitor writes
        // one for a schema that is an array), its builder; outside: the client method, the
        // builder, the helper. The `DeviceList` outside `types` and `ListDevices` inside are
        // other items that only share a name.
        assert_eq!(gated, 7, "{printed}");
        assert!(printed.contains("pub struct Link;"));
        assert!(!printed.contains("#[cfg(feature = \"device-management\")]\n    pub fn login"));
    }

    #[test]
    fn a_builder_has_its_own_condition_where_one_is_given() {
        let mut gates = Gates::default();
        gates.gate_type("Job", parse_quote!(feature = "job-management"));
        gates.gate_builder(
            "Job",
            parse_quote!(all(feature = "job-management", feature = "mock")),
        );
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Job;
                impl Job { pub fn builder() -> builder::Job { Default::default() } }
                impl Job { pub fn other(&self) {} }
                pub mod builder {
                    pub struct Job;
                    impl ::std::convert::TryFrom<Job> for super::Job {}
                }
            }
        };
        gates.apply(&mut file.items);
        let printed = prettyplease::unparse(&file);
        let both = "#[cfg(all(feature = \"job-management\", feature = \"mock\"))]";
        // The builder, its conversion and `Job::builder()`; the type and its other impl keep
        // the type's own condition.
        assert_eq!(printed.matches(both).count(), 3, "{printed}");
        assert_eq!(
            printed
                .matches("#[cfg(feature = \"job-management\")]")
                .count(),
            2,
            "{printed}"
        );
    }

    #[test]
    fn a_type_only_read_derives_serialize_under_its_condition() {
        let mut gates = Gates::default();
        gates.gate_serialize("Answer", parse_quote!(feature = "serialize"));
        gates.gate_serialize("State", parse_quote!(feature = "serialize"));
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(::serde::Serialize, Clone, Debug)]
                #[serde(transparent)]
                pub struct Answer {
                    #[serde(rename = "@href")]
                    pub href: String,
                }
                #[derive(::serde::Serialize, Clone, Debug)]
                pub enum State {
                    #[serde(rename = "DONE")]
                    Done,
                }
                #[derive(::serde::Serialize, Clone, Debug)]
                pub struct Request {
                    #[serde(rename = "@href")]
                    pub href: String,
                }
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Answer { href: String }
                }
            }
        };
        gates.apply(&mut file.items);
        let printed = prettyplease::unparse(&file);
        let derives = printed
            .matches("#[cfg_attr(feature = \"serialize\", derive(::serde::Serialize))]")
            .count();
        let arguments = printed
            .matches("#[cfg_attr(feature = \"serialize\", serde(")
            .count();
        // The two gated types, their container, field and variant arguments; the request, which
        // a body holds, keeps its derive and its argument as they were.
        assert_eq!((derives, arguments), (2, 3), "{printed}");
        assert!(
            printed.contains("#[derive(::serde::Serialize, Clone, Debug)]\n    pub struct Request")
        );
        assert_eq!(
            printed.matches("    #[serde(rename = \"@href\")]").count(),
            1,
            "{printed}"
        );
    }
}
