//! Walking a collection from its generated builder: `client.list_devices().filter(f)
//! .items(500)` streams every member, a page in memory at a time; `.pages(500)` streams the
//! pages; `.list()` gives the members of one answer.

use std::future::Future;

use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt as _, TryStreamExt as _};
use junos_space_runtime::query::Paging;
use junos_space_runtime::{Collection, Page, Paged, Result};

/// The members of one answer, on every builder of a collection operation:
/// `use junos_space::prelude::*`.
pub trait CollectionExt: Collection {
    /// Sends the request once and gives the members of its answer, whether or not the
    /// operation pages (without `paging`, a server answers its default page).
    fn list(self) -> impl Future<Output = Result<Vec<Self::Item>>> + Send {
        async move { Ok(Self::page(self.send_request().await?.into_inner()).items) }
    }
}

impl<C: Collection> CollectionExt for C {}

/// Every page or member, on every builder of a collection that takes `paging`:
/// `use junos_space::prelude::*`.
pub trait PagedExt: Paged {
    /// The pages of the collection, `page_size` members each, fetched one at a time as the
    /// stream is read: `paging=(start eq N, limit eq page_size)` until as many members as the
    /// collection's count (`@size` or `@total`) have come (or, without a count, until an empty
    /// page). Filters and other parameters set on the builder are kept on every page.
    fn pages<'s>(self, page_size: u64) -> BoxStream<'s, Result<Page<Self::Item>>>
    where
        Self: 's,
        Self::Item: Send,
    {
        let limit = page_size.max(1);
        stream::try_unfold(Some((self, 0u64)), move |state| async move {
            let Some((operation, start)) = state else {
                return Ok(None);
            };
            let page_operation = operation
                .clone()
                .with_paging(Paging { start, limit }.into());
            let page = Self::page(page_operation.send_request().await?.into_inner());
            let fetched = start + page.items.len() as u64;
            // Loop on the count, not on a short page: a server may cap pages below `limit`.
            let more = match page.total {
                Some(total) => fetched < total && !page.items.is_empty(),
                None => !page.items.is_empty(),
            };
            if page.items.is_empty() && page.total.is_none() && start > 0 {
                return Ok(None);
            }
            Ok(Some((page, more.then_some((operation, fetched)))))
        })
        .boxed()
    }

    /// The members of the collection, one page in memory at a time (see
    /// [`PagedExt::pages`]).
    fn items<'s>(self, page_size: u64) -> BoxStream<'s, Result<Self::Item>>
    where
        Self: 's,
        Self::Item: Send + 's,
    {
        self.pages(page_size)
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

impl<P: Paged> PagedExt for P {}
