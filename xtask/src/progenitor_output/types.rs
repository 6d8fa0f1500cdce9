//! `mod types`: the structs typify wrote for the spec's schemas, each field with the JSON name
//! it is read under and its serde arguments; every other item kept as written.

use std::collections::{BTreeMap, BTreeSet};

use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Meta, Token};

use super::syntax::{last_ident, string_literal, type_arguments};

/// The types module.
pub struct Types {
    shell: syn::ItemMod,
    pub items: Vec<TypesItem>,
}

/// One item of the types module.
pub enum TypesItem {
    Struct(TypeStruct),
    /// Enums, impls, `mod builder`, `mod error`: kept as written.
    Other(syn::Item),
}

/// One struct of the types module.
pub struct TypeStruct {
    item: syn::ItemStruct,
    /// Its name (`DeviceList`).
    pub name: String,
    /// True when it derives serde's `Deserialize`: a value read from JSON.
    pub deserializes: bool,
    /// Its named fields, in order.
    pub fields: Vec<TypeField>,
}

/// One named field of a struct.
pub struct TypeField {
    pub ident: syn::Ident,
    /// The JSON member it is read from: its serde `rename`, else its own name.
    pub json_name: String,
    pub ty: syn::Type,
    /// The arguments of its `#[serde(...)]`, in order.
    pub serde: Vec<SerdeArg>,
}

/// One argument of a serde field attribute: `rename = "@size"`, or `default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerdeArg {
    pub key: String,
    /// The string the argument is set to, if it is set to one.
    pub value: Option<String>,
}

impl SerdeArg {
    /// `key = "value"`.
    pub fn set(key: &str, value: &str) -> Self {
        Self {
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    /// A bare `key`.
    pub fn flag(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            value: None,
        }
    }

    fn meta(&self) -> Meta {
        let key = syn::Ident::new(&self.key, proc_macro2::Span::call_site());
        match &self.value {
            Some(value) => syn::parse_quote!(#key = #value),
            None => syn::parse_quote!(#key),
        }
    }
}

impl TypeField {
    /// True when its serde attribute has the argument `key`.
    pub fn has_serde(&self, key: &str) -> bool {
        self.serde.iter().any(|arg| arg.key == key)
    }
}

/// Takes `trait_name` off the `derive` attributes among `attributes`; whether it was there.
pub fn without_derive(attributes: &mut [syn::Attribute], trait_name: &str) -> bool {
    let mut removed = false;
    for attribute in attributes.iter_mut() {
        if !attribute.path().is_ident("derive") {
            continue;
        }
        let Ok(derived) =
            attribute.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = derived
            .iter()
            .filter(|path| path.segments.last().is_none_or(|s| s.ident != trait_name))
            .collect();
        if kept.len() != derived.len() {
            removed = true;
            *attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    removed
}

/// A collection answer followed into the generated types: the answer's field for the
/// envelope, the envelope's list of members, and its count.
pub struct CollectionFields {
    pub envelope: syn::Ident,
    /// True when the answer may lack the envelope (`Option<..>`).
    pub envelope_optional: bool,
    /// The envelope's struct (`DeviceListDevices`).
    pub envelope_struct: String,
    pub members: syn::Ident,
    /// One member's type, as named from the crate root (`types::Device`).
    pub item: syn::Type,
    /// The count field, and whether it is optional.
    pub count: Option<(syn::Ident, bool)>,
}

impl Types {
    /// Follows a collection's JSON names into the generated types, from `answer` (the type a
    /// `send` answers): the answer's field `envelope`, a struct holding a list field
    /// `member` and, when `count` is named, an integer field `count`. A name the types do
    /// not hold is the spec and progenitor's output disagreeing.
    pub fn collection(
        &self,
        answer: &syn::Type,
        envelope: &str,
        member: &str,
        count: Option<&str>,
    ) -> Result<CollectionFields, String> {
        let fail = |what: String| format!("the collection `{envelope}.{member}`: {what}");
        let struct_of = |ty: &syn::Type| last_ident(ty).and_then(|name| self.strukt(&name));
        let answer = struct_of(answer).ok_or_else(|| fail("the answer is not a struct".into()))?;
        let field = answer
            .field(envelope)
            .ok_or_else(|| fail(format!("`{}` has no field for it", answer.name)))?;
        let (envelope_ty, envelope_optional) = unwrap_option(&field.ty);
        let inner =
            struct_of(&envelope_ty).ok_or_else(|| fail("its envelope is not a struct".into()))?;
        let members = inner
            .field(member)
            .filter(|f| last_ident(&f.ty).as_deref() == Some("Vec"))
            .ok_or_else(|| fail(format!("`{}` has no list of members", inner.name)))?;
        let item = type_arguments(&members.ty)
            .into_iter()
            .next()
            .ok_or_else(|| fail("the member list names no type".into()))?;
        let count = match count {
            None => None,
            Some(count) => {
                let counted = inner
                    .field(count)
                    .ok_or_else(|| fail(format!("`{}` has no `{count}`", inner.name)))?;
                let (ty, optional) = unwrap_option(&counted.ty);
                let integer =
                    last_ident(&ty).is_some_and(|n| n.starts_with('i') || n.starts_with('u'));
                if !integer {
                    return Err(fail(format!("`{count}` is not an integer")));
                }
                Some((counted.ident.clone(), optional))
            }
        };
        Ok(CollectionFields {
            envelope: field.ident.clone(),
            envelope_optional,
            envelope_struct: inner.name.clone(),
            members: members.ident.clone(),
            item: qualify_in_types(item),
            count,
        })
    }

    pub(super) fn parse(module: syn::ItemMod) -> Result<Self, String> {
        let mut shell = module;
        let (_, content) = shell
            .content
            .take()
            .ok_or("progenitor's `mod types` has no body")?;
        let items = content
            .into_iter()
            .map(|item| match item {
                syn::Item::Struct(item) => TypeStruct::parse(item).map(TypesItem::Struct),
                other => Ok(TypesItem::Other(other)),
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { shell, items })
    }

    pub(super) fn item(&self) -> syn::Item {
        let mut module = self.shell.clone();
        let items = self
            .items
            .iter()
            .map(|item| match item {
                TypesItem::Struct(strukt) => syn::Item::Struct(strukt.item.clone()),
                TypesItem::Other(other) => other.clone(),
            })
            .collect();
        module.content = Some((Default::default(), items));
        syn::Item::Mod(module)
    }

    /// Every struct of the module.
    pub fn structs(&self) -> impl Iterator<Item = &TypeStruct> {
        self.items.iter().filter_map(|item| match item {
            TypesItem::Struct(strukt) => Some(strukt),
            TypesItem::Other(_) => None,
        })
    }

    /// Every struct of the module, to change them.
    pub fn structs_mut(&mut self) -> impl Iterator<Item = &mut TypeStruct> {
        self.items.iter_mut().filter_map(|item| match item {
            TypesItem::Struct(strukt) => Some(strukt),
            TypesItem::Other(_) => None,
        })
    }

    /// The modules inside `mod types` (typify's `mod builder`), as written, to change them.
    pub fn modules_mut(&mut self) -> impl Iterator<Item = &mut syn::ItemMod> {
        self.items.iter_mut().filter_map(|item| match item {
            TypesItem::Other(syn::Item::Mod(module)) => Some(module),
            _ => None,
        })
    }

    /// The identifiers named by the items about each type (its struct or enum, its impls, its
    /// builder), by the type's name: what each type reaches.
    pub fn mentions(&self) -> BTreeMap<String, BTreeSet<String>> {
        fn walk(items: &[syn::Item], found: &mut BTreeMap<String, BTreeSet<String>>) {
            for item in items {
                let subject = match item {
                    syn::Item::Struct(strukt) => Some(strukt.ident.to_string()),
                    syn::Item::Enum(enumeration) => Some(enumeration.ident.to_string()),
                    syn::Item::Impl(block) => last_ident(&block.self_ty),
                    syn::Item::Mod(module) => {
                        if let Some((_, content)) = &module.content {
                            walk(content, found);
                        }
                        None
                    }
                    _ => None,
                };
                if let Some(subject) = subject {
                    found
                        .entry(subject)
                        .or_default()
                        .extend(super::syntax::idents(item));
                }
            }
        }
        let mut found = BTreeMap::new();
        if let syn::Item::Mod(module) = self.item()
            && let Some((_, content)) = &module.content
        {
            walk(content, &mut found);
        }
        found
    }

    /// The name of every struct and enum of the module (its `mod builder` aside).
    pub fn names(&self) -> BTreeSet<String> {
        self.items
            .iter()
            .filter_map(|item| match item {
                TypesItem::Struct(strukt) => Some(strukt.name.clone()),
                TypesItem::Other(syn::Item::Enum(enumeration)) => {
                    Some(enumeration.ident.to_string())
                }
                TypesItem::Other(_) => None,
            })
            .collect()
    }

    /// Adds `item` to the module, after the items it has.
    pub fn push(&mut self, item: syn::Item) {
        self.items.push(TypesItem::Other(item));
    }

    /// Adds `item` to the module right after the struct `name` (or last, without one).
    pub fn insert_after(&mut self, name: &str, item: syn::Item) {
        let at = self
            .items
            .iter()
            .position(|i| matches!(i, TypesItem::Struct(s) if s.name == name))
            .map_or(self.items.len(), |index| index + 1);
        self.items.insert(at, TypesItem::Other(item));
    }

    /// The struct `name`.
    pub fn strukt(&self, name: &str) -> Option<&TypeStruct> {
        self.structs().find(|s| s.name == name)
    }

    /// The struct `name`, to change it.
    pub fn strukt_mut(&mut self, name: &str) -> Option<&mut TypeStruct> {
        self.structs_mut().find(|s| s.name == name)
    }
}

impl TypeStruct {
    /// Reads a struct as the types module does, for other modules' tests.
    #[cfg(test)]
    pub fn parse_for_tests(item: syn::ItemStruct) -> Self {
        Self::parse(item).expect("the struct reads")
    }

    /// The struct as written now, as tokens' text, for tests.
    #[cfg(test)]
    pub fn to_tokens_for_tests(&self) -> String {
        quote::ToTokens::to_token_stream(&self.item).to_string()
    }

    fn parse(item: syn::ItemStruct) -> Result<Self, String> {
        let name = item.ident.to_string();
        let deserializes = item.attrs.iter().any(|attribute| {
            attribute.path().is_ident("derive")
                && attribute
                    .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                    .is_ok_and(|derived| {
                        derived.iter().any(|path| {
                            path.segments
                                .last()
                                .is_some_and(|s| s.ident == "Deserialize")
                        })
                    })
        });
        let mut fields = Vec::new();
        if let syn::Fields::Named(named) = &item.fields {
            for field in &named.named {
                let ident = field
                    .ident
                    .clone()
                    .ok_or_else(|| format!("`types::{name}` has a field without a name"))?;
                let serde = serde_args(field)
                    .map_err(|error| format!("`types::{name}::{ident}`: {error}"))?;
                let json_name = serde
                    .iter()
                    .find(|arg| arg.key == "rename")
                    .and_then(|arg| arg.value.clone())
                    .unwrap_or_else(|| ident.to_string());
                fields.push(TypeField {
                    ident,
                    json_name,
                    ty: field.ty.clone(),
                    serde,
                });
            }
        }
        Ok(Self {
            item,
            name,
            deserializes,
            fields,
        })
    }

    pub(super) fn visit_attributes(&mut self, visit: &mut dyn FnMut(&mut syn::Attribute)) {
        self.item.attrs.iter_mut().for_each(&mut *visit);
        for field in self.item.fields.iter_mut() {
            field.attrs.iter_mut().for_each(&mut *visit);
        }
    }

    /// Takes `derive`'s `trait_name` off the struct; whether it was there.
    pub fn remove_derive(&mut self, trait_name: &str) -> bool {
        without_derive(&mut self.item.attrs, trait_name)
    }

    /// True when the struct itself carries a serde attribute (`#[serde(transparent)]`).
    pub fn has_container_serde(&self) -> bool {
        self.item.attrs.iter().any(|a| a.path().is_ident("serde"))
    }

    /// True when its fields are named (`struct S { a: T }`), not a tuple or unit struct.
    pub fn has_named_fields(&self) -> bool {
        matches!(self.item.fields, syn::Fields::Named(_))
    }

    /// Takes the serde arguments named `keys` off every field, and a field's `#[serde]`
    /// left empty with them; counts the arguments taken.
    pub fn remove_serde(&mut self, keys: &[&str]) -> Result<usize, String> {
        let name = &self.name;
        let mut removed = 0;
        for field in self.item.fields.iter_mut() {
            let mut kept_attributes = Vec::new();
            for attribute in field.attrs.drain(..) {
                if !attribute.path().is_ident("serde") {
                    kept_attributes.push(attribute);
                    continue;
                }
                let metas = attribute
                    .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                    .map_err(|error| format!("`types::{name}`: a serde attribute: {error}"))?;
                let count = metas.len();
                let kept: Vec<Meta> = metas
                    .into_iter()
                    .filter(|meta| !keys.iter().any(|key| meta.path().is_ident(key)))
                    .collect();
                removed += count - kept.len();
                if !kept.is_empty() {
                    kept_attributes.push(syn::parse_quote!(#[serde(#(#kept),*)]));
                }
            }
            field.attrs = kept_attributes;
        }
        for facts in &mut self.fields {
            facts.serde.retain(|arg| !keys.contains(&arg.key.as_str()));
        }
        Ok(removed)
    }

    /// The struct's name as an identifier.
    pub fn ident(&self) -> &syn::Ident {
        &self.item.ident
    }

    /// The field read from the JSON member `json_name`.
    pub fn field(&self, json_name: &str) -> Option<&TypeField> {
        self.fields.iter().find(|f| f.json_name == json_name)
    }

    /// Adds `args` to the serde attribute of the field at `index` (making one if it has
    /// none).
    pub fn add_serde(&mut self, index: usize, args: &[SerdeArg]) -> Result<(), String> {
        let name = &self.name;
        let facts = self
            .fields
            .get_mut(index)
            .ok_or_else(|| format!("`types::{name}` has no field {index}"))?;
        let syn::Fields::Named(named) = &mut self.item.fields else {
            return Err(format!("`types::{name}` has no named fields"));
        };
        let field = named
            .named
            .iter_mut()
            .find(|f| f.ident.as_ref() == Some(&facts.ident))
            .ok_or_else(|| format!("`types::{name}` lost its field `{}`", facts.ident))?;
        let added: Vec<Meta> = args.iter().map(SerdeArg::meta).collect();
        match field.attrs.iter_mut().find(|a| a.path().is_ident("serde")) {
            Some(attribute) => {
                let Meta::List(list) = &mut attribute.meta else {
                    return Err(format!(
                        "`types::{name}::{}`: `#[serde]` without arguments",
                        facts.ident
                    ));
                };
                let inner = &list.tokens;
                list.tokens = quote!(#inner, #(#added),*);
            }
            None => field.attrs.push(syn::parse_quote!(#[serde(#(#added),*)])),
        }
        facts.serde.extend(args.iter().cloned());
        Ok(())
    }
}

/// `T` and `true` for `Option<T>`; any other type and `false`.
fn unwrap_option(ty: &syn::Type) -> (syn::Type, bool) {
    if last_ident(ty).as_deref() == Some("Option")
        && let Some(inner) = type_arguments(ty).into_iter().next()
    {
        return (inner, true);
    }
    (ty.clone(), false)
}

/// A type named inside `mod types` (`Device`) as seen from the crate root.
fn qualify_in_types(item: syn::Type) -> syn::Type {
    match &item {
        syn::Type::Path(path) if path.qself.is_none() && path.path.segments.len() == 1 => {
            syn::parse_quote!(types::#item)
        }
        _ => item,
    }
}

/// The arguments of a field's `#[serde(...)]` attributes, in order.
fn serde_args(field: &syn::Field) -> Result<Vec<SerdeArg>, String> {
    let mut args = Vec::new();
    for attribute in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let metas = attribute
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .map_err(|error| format!("a serde attribute that does not parse: {error}"))?;
        for meta in metas {
            let key = meta
                .path()
                .get_ident()
                .map(ToString::to_string)
                .ok_or("a serde argument that is not a name")?;
            let value = match &meta {
                Meta::NameValue(pair) => string_literal(&pair.value),
                Meta::Path(_) | Meta::List(_) => None,
            };
            args.push(SerdeArg { key, value });
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn fields_are_found_by_json_name_and_take_serde_arguments() {
        let item: syn::ItemStruct = parse_quote! {
            #[derive(::serde::Deserialize, Clone)]
            pub struct Envelope {
                pub device: Vec<Device>,
                #[serde(rename = "@size", deserialize_with = "lenient::integer", default)]
                pub size: i64,
                #[serde(rename = "cli-configlet")]
                pub cli_configlet: Vec<Configlet>,
            }
        };
        let mut strukt = TypeStruct::parse(item).expect("reads");
        assert!(strukt.deserializes);
        let name = |s: &TypeStruct, json: &str| s.field(json).map(|f| f.ident.to_string());
        assert_eq!(name(&strukt, "device").as_deref(), Some("device"));
        assert_eq!(name(&strukt, "@size").as_deref(), Some("size"));
        assert_eq!(
            name(&strukt, "cli-configlet").as_deref(),
            Some("cli_configlet")
        );
        // The Rust name of a renamed field is not its JSON name.
        assert_eq!(name(&strukt, "size"), None);
        assert_eq!(name(&strukt, "@total"), None);
        assert!(strukt.fields[1].has_serde("default"));

        strukt
            .add_serde(1, &[SerdeArg::set("alias", "@total")])
            .expect("adds");
        strukt
            .add_serde(0, &[SerdeArg::flag("default")])
            .expect("adds");
        let written = quote::ToTokens::to_token_stream(&strukt.item).to_string();
        assert!(
            written.contains(
                r#"# [serde (rename = "@size" , deserialize_with = "lenient::integer" , default , alias = "@total")]"#
            ),
            "{written}"
        );
        assert!(
            written.contains("# [serde (default)] pub device"),
            "{written}"
        );
        assert!(
            TypeStruct::parse(strukt.item.clone())
                .expect("reads")
                .fields[1]
                .has_serde("alias")
        );
    }
}
