//! The client: the generated operations plus calls, sessions, jobs and collection streams.

use std::ops::Deref;

use futures_util::stream::BoxStream;
use junos_space_runtime::{Collection, JobRecord, Operation, Page, Paged, Result};

use crate::builder::ClientBuilder;
use crate::collections::{CollectionExt as _, PagedExt as _};
use crate::fleet::Fleet;
use crate::jobs::{JobWait, JobsExt as _, TaskAnswer};
use crate::session::SessionExt as _;

/// A Junos Space client. It dereferences to the generated [`junos_space_api::Client`], so
/// every operation is a method (`client.list_devices()`). Clones share one connection pool
/// and session.
#[derive(Clone, Debug)]
pub struct Client {
    api: junos_space_api::Client,
    base_url: String,
}

impl Deref for Client {
    type Target = junos_space_api::Client;

    fn deref(&self) -> &Self::Target {
        &self.api
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_parts(api: junos_space_api::Client, base_url: String) -> Self {
        Self { api, base_url }
    }

    /// The generated client.
    pub fn api(&self) -> &junos_space_api::Client {
        &self.api
    }

    /// The API's base URL, ending in `/api/space`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends a generated builder and gives the decoded answer.
    pub async fn call<O: Operation>(&self, operation: O) -> Result<O::Output> {
        Ok(operation.send_request().await?.into_inner())
    }

    /// Opens a session: the generated `login`, whose cookies the runtime keeps.
    pub async fn login(&self) -> Result<()> {
        self.api.login().send().await.map(drop)
    }

    /// Ends the session: the generated `logout`. Without a session there is nothing to end.
    pub async fn logout(&self) -> Result<()> {
        if !self.has_session() {
            return Ok(());
        }
        self.api.logout().send().await.map(drop)
    }

    /// See [`crate::prelude::SessionExt::session_is_open`].
    pub async fn session_is_open(&self) -> Result<bool> {
        self.api.session_is_open().await
    }

    /// See [`crate::prelude::SessionExt::has_session`].
    pub fn has_session(&self) -> bool {
        self.api.has_session()
    }

    /// See [`crate::prelude::JobsExt::job`].
    pub fn job(&self, answer: impl TaskAnswer) -> JobWait<'_> {
        self.api.job(answer)
    }

    /// See [`crate::prelude::JobsExt::fleet`].
    pub fn fleet(&self) -> Fleet<'_> {
        self.api.fleet()
    }

    /// See [`crate::prelude::JobsExt::job_record`].
    pub async fn job_record(&self, id: i64) -> Result<JobRecord> {
        self.api.job_record(id).await
    }

    /// See [`crate::prelude::PagedExt::pages`].
    pub fn pages<'a, C>(
        &'a self,
        operation: C,
        page_size: u64,
    ) -> BoxStream<'a, Result<Page<C::Item>>>
    where
        C: Paged + 'a,
        C::Item: Send,
    {
        operation.pages(page_size)
    }

    /// See [`crate::prelude::PagedExt::items`].
    pub fn items<'a, C>(&'a self, operation: C, page_size: u64) -> BoxStream<'a, Result<C::Item>>
    where
        C: Paged + 'a,
        C::Item: Send + 'a,
    {
        operation.items(page_size)
    }

    /// See [`crate::prelude::CollectionExt::list`].
    pub async fn list<C: Collection>(&self, operation: C) -> Result<Vec<C::Item>> {
        operation.list().await
    }
}
