//! The client: the generated operations plus calls, sessions, jobs and collection streams.

use std::ops::Deref;

use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt as _, TryStreamExt as _};
use junos_space_runtime::{Collection, Operation, Page, Paged, Runtime};
use progenitor_client::ClientInfo as _;

use crate::builder::ClientBuilder;
use crate::fleet::Fleet;
use crate::jobs::{JobWait, TaskAnswer};
use junos_space_runtime::JobRecord;
use junos_space_runtime::query::Paging;
use junos_space_runtime::{Error, Result};

/// A Junos Space client. It dereferences to the generated [`junos_space_api::Client`], so
/// every operation is a method (`client.list_devices()`); send builders with
/// [`Client::call`] for this crate's [`Error`]. Clones share one connection pool and session.
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

    fn runtime(&self) -> &Runtime {
        self.api.inner()
    }

    /// Sends a generated builder and gives the decoded answer; failures become [`Error`],
    /// with the body of an unexpected answer read into a readable message.
    pub async fn call<O: Operation>(&self, operation: O) -> Result<O::Output> {
        Ok(operation.send_request().await?.into_inner())
    }

    /// Opens a session (the generated `login`, with the Basic credentials): later GETs carry
    /// its cookie instead of the password. Asynchronous calls (POST, DELETE) keep using Basic
    /// credentials and no cookie, as Junos Space wants.
    pub async fn login(&self) -> Result<()> {
        if self.runtime().credentials().is_none() {
            return Err(Error::Config("login needs credentials".into()));
        }
        let answer = self.api.login().send().await?;
        let cookie = junos_space_runtime::session_cookie(answer.headers());
        if cookie.is_none() {
            tracing::warn!("login answered without a session cookie; staying on Basic credentials");
        }
        self.runtime().set_session(cookie);
        Ok(())
    }

    /// Ends the session (the generated `logout`, which carries the session cookie); later
    /// calls use Basic credentials. Without a session there is nothing to end.
    pub async fn logout(&self) -> Result<()> {
        if !self.has_session() {
            return Ok(());
        }
        let outcome = self.call(self.api.logout()).await;
        // The session is over for this client whatever the server says.
        self.runtime().set_session(None);
        outcome.map(drop)
    }

    /// Whether the server still holds this client's session open (the generated
    /// `getLoginStatus`): `false` once it has ended or expired, or when none was opened.
    pub async fn session_is_open(&self) -> Result<bool> {
        if !self.has_session() {
            return Ok(false);
        }
        match self.api.get_login_status().send().await {
            Ok(_) => Ok(true),
            Err(error) if error.status() == Some(401) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Whether a login session is in use.
    pub fn has_session(&self) -> bool {
        self.runtime().has_session()
    }

    /// Waits for the job named by `answer` (a task answer, a `Job`, or a job id):
    /// `client.job(&task).on_progress(|job| ...).timeout(...).wait().await`.
    pub fn job(&self, answer: impl TaskAnswer) -> JobWait<'_> {
        JobWait::new(self, answer.job_id())
    }

    /// Starts and follows many jobs at once: `client.fleet().concurrency(32).run(devices,
    /// |device| async move { ... Ok(job_id) })` (see [`Fleet`]).
    pub fn fleet(&self) -> Fleet<'_> {
        Fleet::new(self)
    }

    /// The job's current record: `getJob` through the typed client, read as a [`JobRecord`].
    pub async fn job_record(&self, id: i64) -> Result<JobRecord> {
        let answer = self.call(self.api.get_job().job_id(id)).await?;
        Ok(JobRecord::from(answer.job))
    }

    /// The pages of a collection, `page_size` members each, fetched one at a time as the
    /// stream is read: `paging=(start eq N, limit eq page_size)` until as many members as the
    /// collection's count (`@size` or `@total`) have come (or, without a count, until an empty
    /// page). Filters and other parameters set on `operation` are kept on every page.
    pub fn pages<'a, C>(
        &'a self,
        operation: C,
        page_size: u64,
    ) -> BoxStream<'a, Result<Page<C::Item>>>
    where
        C: Paged + 'a,
        C::Item: Send,
    {
        let limit = page_size.max(1);
        stream::try_unfold(Some((operation, 0u64)), move |state| async move {
            let Some((operation, start)) = state else {
                return Ok(None);
            };
            let page_operation = operation
                .clone()
                .with_paging(Paging { start, limit }.into());
            let page = C::page(self.call(page_operation).await?);
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

    /// The members of a collection, one page in memory at a time (see [`Client::pages`]).
    pub fn items<'a, C>(&'a self, operation: C, page_size: u64) -> BoxStream<'a, Result<C::Item>>
    where
        C: Paged + 'a,
        C::Item: Send + 'a,
    {
        self.pages(operation, page_size)
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// The members of one answer of a collection operation, whether or not it pages.
    pub async fn list<C: Collection>(&self, operation: C) -> Result<Vec<C::Item>> {
        Ok(C::page(self.call(operation).await?).items)
    }
}
