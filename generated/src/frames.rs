//! The code around the tables `cargo xtask regenerate` writes into `client.rs`: what one row
//! of the operation table and of the collection table becomes. The rows are data from the
//! spec (an operation's id, method, `Accept`, session use and answer type; a collection's
//! envelope, members and count); the frames here are written once, by hand.
//!
//! Both tables are written inside `client::builder`, so that a row's `send` can reach the
//! builder's client and its private `build_request` (progenitor's `send`, cut to the
//! request it builds).

/// One row per builder, after the client's constants:
///
/// ```text
/// operations! {
///     base_path: "/api/space",
///     timeout_secs: 120;
///     /// Sends a `GET` request to `/device-management/devices`
///     ListDevices {
///         id: "list_devices",
///         method: GET,
///         accept: Some("application/vnd...devices+json;version=2"),
///         session: Ordinary,
///         answers: [
///             200..=200 => Reading::Json(Accepted::Exactly(&["application/vnd...devices+json;version=2"])),
///             204..=204 => Reading::Empty,
///         ],
///         decode: JsonOrDefault,
///         output: types::DeviceList,
///     }
/// }
/// ```
///
/// Each row gives its builder the public `send` (its request, built by `build_request` when the
/// future is first polled, sent
/// through [`junos_space_runtime::Runtime::send`] with the row's answer table, and the answer
/// decoded into `output` as the runtime's `decode` type says, or the runtime's one `Error`) and
/// the runtime's `Operation` trait; the constants give `Client::BASE_PATH` and
/// `Client::DEFAULT_TIMEOUT`.
macro_rules! operations {
    (
        base_path: $base_path:literal,
        timeout_secs: $timeout_secs:literal;
        $(
            $(#[cfg($condition:meta)])?
            $(#[doc = $doc:literal])*
            $builder:ident {
                id: $id:literal,
                method: $method:ident,
                accept: $accept:expr,
                session: $session:ident,
                answers: [$($low:literal ..= $high:literal => $reading:expr),* $(,)?],
                decode: $decode:ident,
                output: $output:ty $(,)?
            }
        )*
    ) => {
        impl $crate::Client {
            #[doc = concat!(
                "The path under which the server serves this API: pass `https://HOST",
                $base_path,
                "` as the base URL."
            )]
            pub const BASE_PATH: &'static str = $base_path;

            /// Request timeout of [`Client::new`](Self::new). Real servers take close to a
            /// minute on some calls, so it is longer than the usual 15 s.
            pub const DEFAULT_TIMEOUT: ::std::time::Duration =
                ::std::time::Duration::from_secs($timeout_secs);
        }

        $(
            $(#[cfg($condition)])?
            impl<'a> $builder<'a> {
                $(#[doc = $doc])*
                pub fn send(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        $crate::ResponseValue<$output>,
                        ::junos_space_runtime::Error,
                    >,
                > + ::std::marker::Send + 'a {
                    const ANSWERS: &[::junos_space_runtime::Expected] = &[$(
                        ::junos_space_runtime::Expected { low: $low, high: $high, reading: $reading },
                    )*];
                    let exchange = ::junos_space_runtime::Exchange {
                        operation_id: $id,
                        method: ::reqwest::Method::$method,
                        accept: $accept,
                        session: ::junos_space_runtime::SessionUse::$session,
                        answers: ANSWERS,
                    };
                    let client = self.client;
                    client.inner.send::<_, _, _, ::junos_space_runtime::$decode<$output>>(
                        &client.client,
                        exchange,
                        self,
                        Self::build_request,
                    )
                }
            }

            $(#[cfg($condition)])?
            impl<'a> ::junos_space_runtime::Operation for $builder<'a> {
                type Output = $output;
                const OPERATION_ID: &'static str = $id;
                const ACCEPT: ::std::option::Option<&'static str> = $accept;

                fn send_request(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<
                        $crate::ResponseValue<$output>,
                        ::junos_space_runtime::Error,
                    >,
                > + ::std::marker::Send {
                    self.send()
                }
            }
        )*
    };
}
pub(crate) use operations;

/// One row per collection answer:
///
/// ```text
/// collections! {
///     ListDevices(types::DeviceList => types::Device) {
///         envelope: devices (optional),
///         members: device,
///         count: size (required),
///         paging: paged,
///     }
/// }
/// ```
///
/// Each row gives its builder the runtime's `Collection` trait (the members of one answer,
/// and the count of the whole collection), and `Paged` when it takes `paging`. An envelope
/// or count is `optional` when the answer may lack it, `required` otherwise; a collection
/// without a count says `count: none`.
macro_rules! collections {
    ($(
        $(#[cfg($condition:meta)])?
        $builder:ident($output:ty => $item:ty) {
            envelope: $envelope:ident ($envelope_presence:ident),
            members: $members:ident,
            count: $($count:ident)? ($count_presence:ident),
            paging: $paging:ident $(,)?
        }
    )*) => {$(
        $(#[cfg($condition)])?
        impl<'a> ::junos_space_runtime::Collection for $builder<'a> {
            type Item = $item;

            fn page(output: $output) -> ::junos_space_runtime::Page<$item> {
                let Some(envelope) = $crate::frames::present!($envelope_presence, output.$envelope)
                else {
                    return ::junos_space_runtime::Page::empty();
                };
                ::junos_space_runtime::Page {
                    total: $crate::frames::count!($count_presence, envelope $(.$count)?),
                    items: envelope.$members,
                }
            }
        }

        $(#[cfg($condition)])?
        $crate::frames::paging!($paging, $builder);
    )*};
}
pub(crate) use collections;

/// A value the answer may lack (`optional`: already an `Option`) or always has.
// Unused in a build whose services have no collection.
#[allow(unused_macros)]
macro_rules! present {
    (optional, $value:expr) => {
        $value
    };
    (required, $value:expr) => {
        ::std::option::Option::Some($value)
    };
}
#[allow(unused_imports)]
pub(crate) use present;

/// The collection's count as `u64`, when the server sent one that fits.
// Unused in a build whose services have no collection.
#[allow(unused_macros)]
macro_rules! count {
    (optional, $count:expr) => {
        $count.and_then(|total| u64::try_from(total).ok())
    };
    (required, $count:expr) => {
        u64::try_from($count).ok()
    };
    (none, $envelope:expr) => {
        ::std::option::Option::None
    };
}
#[allow(unused_imports)]
pub(crate) use count;

/// `Paged` for a collection that takes `paging=(start eq N, limit eq M)`.
// Unused in a build whose services have no collection.
#[allow(unused_macros)]
macro_rules! paging {
    (paged, $builder:ident) => {
        impl<'a> ::junos_space_runtime::Paged for $builder<'a> {
            fn with_paging(self, paging: ::std::string::String) -> Self {
                self.paging(paging)
            }
        }
    };
    (unpaged, $builder:ident) => {};
}
#[allow(unused_imports)]
pub(crate) use paging;
