//! The media-type oracle under proptest: 10,000 equivalent spellings of generated vendor types
//! (case of type, subtype and parameter names, white space around `;` and `=`, quoting,
//! parameter order) are all accepted, and 10,000 near misses (other subtype, suffix, sibling
//! resource, other or missing version) are all refused. The seed is fixed, so CI is repeatable.

use junos_space_model::MediaType;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

const CASES: u32 = 10_000;

/// A vendor type: service, resource, suffix, version and maybe a charset.
#[derive(Debug, Clone)]
struct Vendor {
    service: String,
    resource: String,
    suffix: &'static str,
    parameters: Vec<(String, String)>,
}

impl Vendor {
    fn subtype(&self) -> String {
        format!(
            "vnd.net.juniper.space.{}.{}+{}",
            self.service, self.resource, self.suffix
        )
    }

    fn canonical(&self) -> String {
        let mut text = format!("application/{}", self.subtype());
        for (name, value) in &self.parameters {
            text.push_str(&format!(";{name}={value}"));
        }
        text
    }
}

fn name() -> impl Strategy<Value = String> {
    "[a-z]{2,8}(-[a-z]{2,8}){0,2}"
}

fn vendor() -> impl Strategy<Value = Vendor> {
    (
        name(),
        name(),
        prop_oneof![Just("json"), Just("xml")],
        1u32..20,
        any::<bool>(),
    )
        .prop_map(|(service, resource, suffix, version, charset)| {
            let mut parameters = vec![("version".to_owned(), version.to_string())];
            if charset {
                parameters.push(("charset".to_owned(), "UTF-8".to_owned()));
            }
            Vendor {
                service,
                resource,
                suffix,
                parameters,
            }
        })
}

/// Optional white space as peers write it.
fn ows() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")]
}

/// Each letter in upper or lower case.
fn any_case(text: String) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), text.len()).prop_map(move |upper| {
        text.chars()
            .zip(upper)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

/// One spelling of `vendor` that must be equivalent to its canonical form.
fn spelling(vendor: Vendor) -> impl Strategy<Value = String> {
    let parameters = Just(vendor.parameters.clone()).prop_shuffle();
    (
        any_case(format!("application/{}", vendor.subtype())),
        parameters,
        proptest::collection::vec((ows(), ows(), ows(), any::<bool>(), any::<bool>()), 2),
        ows(),
    )
        .prop_flat_map(|(essence, parameters, spaces, trailing)| {
            let names: Vec<_> = parameters
                .iter()
                .map(|(n, _)| any_case(n.clone()))
                .collect();
            (
                Just(essence),
                Just(parameters),
                Just(spaces),
                Just(trailing),
                names,
            )
        })
        .prop_map(|(essence, parameters, spaces, trailing, names)| {
            let mut text = essence;
            for (((_, value), name), (before, around, after, quoted, escaped)) in
                parameters.iter().zip(names).zip(spaces)
            {
                let value = match (quoted, escaped) {
                    (false, _) => value.clone(),
                    // A quoted-pair may escape any character, even one that needs none.
                    (true, true) => format!("\"\\{}{}\"", &value[..1], &value[1..]),
                    (true, false) => format!("\"{value}\""),
                };
                text.push_str(&format!("{before};{after}{name}{around}={around}{value}"));
            }
            text.push_str(trailing);
            text
        })
}

/// A type that differs from `vendor` in one way that matters.
fn near_miss(vendor: Vendor) -> impl Strategy<Value = (String, Vendor)> {
    let base = vendor.clone();
    (0u8..6).prop_map(move |kind| {
        let mut other = base.clone();
        let what = match kind {
            0 => {
                other.resource = format!("{}x", other.resource);
                "sibling resource"
            }
            1 => {
                other.suffix = if other.suffix == "json" {
                    "xml"
                } else {
                    "json"
                };
                "other suffix"
            }
            2 => {
                other.service = format!("{}-other", other.service);
                "other subtype"
            }
            3 => {
                other.parameters[0].1 =
                    format!("{}", other.parameters[0].1.parse::<u32>().unwrap_or(0) + 1);
                "other version"
            }
            4 => {
                other.parameters.remove(0);
                "missing version"
            }
            _ => {
                other.parameters[0].1 = format!("0{}", other.parameters[0].1);
                "version spelled with a leading zero"
            }
        };
        (what.to_owned(), other)
    })
}

fn runner(seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn equivalent_spellings_are_never_refused() {
    let strategy = vendor().prop_flat_map(|v| (Just(v.clone()), spelling(v)));
    runner(0x6d65_6469_6131)
        .run(&strategy, |(vendor, spelled)| {
            let canonical = MediaType::parse(&vendor.canonical()).expect("canonical parses");
            let parsed = MediaType::parse(&spelled)
                .map_err(|e| TestCaseError::fail(format!("{spelled:?} refused: {e}")))?;
            prop_assert!(
                canonical.is_equivalent(&parsed),
                "{spelled:?} is not equivalent to {}",
                vendor.canonical()
            );
            Ok(())
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn near_misses_are_never_accepted() {
    let strategy = vendor().prop_flat_map(|v| {
        (Just(v.clone()), near_miss(v))
            .prop_flat_map(|(v, (what, other))| (Just(v), Just(what), spelling(other)))
    });
    runner(0x6d65_6469_6132)
        .run(&strategy, |(vendor, what, spelled)| {
            let canonical = MediaType::parse(&vendor.canonical()).expect("canonical parses");
            let parsed = MediaType::parse(&spelled).map_err(|e| {
                TestCaseError::fail(format!("{spelled:?} refused as malformed: {e}"))
            })?;
            prop_assert!(
                !canonical.is_equivalent(&parsed),
                "{spelled:?} ({what}) accepted as {}",
                vendor.canonical()
            );
            Ok(())
        })
        .unwrap_or_else(|error| panic!("{error}"));
}
