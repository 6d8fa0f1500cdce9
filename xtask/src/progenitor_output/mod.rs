//! What progenitor-impl 0.15.1 wrote, read once into a model of the generated client: the
//! builders with their setters and each `send` taken apart (operation id, answer type, the
//! request it builds, its status arms), the structs of `mod types`, and the mock helpers.
//!
//! This module is the only place that knows the shape of progenitor's output. Every part is
//! recognised by its syntax tree, never by printed token text; a part that is not where
//! progenitor puts it fails generation with a message naming it, so a new progenitor release
//! cannot change the output quietly. The steps of `crate::steps` change the model through the
//! typed parts it exposes, and [`Generated::client_text`] / [`Generated::mock_text`] put it
//! back together in progenitor's order, with the tables the steps wrote.

mod builder;
mod client;
mod exchange;
mod gates;
mod mock;
mod syntax;
mod table;
mod types;

pub use builder::{Builder, from_crate_root};
pub use client::Client;
pub use exchange::{Answer, CallKind, Exchange, RequestCall, StatusPattern};
pub use gates::Gates;
pub use mock::{Mock, OperationMock, ThenBody};
pub use syntax::{idents, last_ident};
pub use table::{Row, Table, string_text, type_text};
pub use types::{SerdeArg, TypeField, TypeStruct, without_derive};

/// The client and the mocks progenitor generated from one document.
pub struct Generated {
    pub client: Client,
    pub mock: Mock,
    /// The cargo feature each item named for a type or an operation is compiled by, put
    /// on the items when the files are printed.
    pub gates: Gates,
}

impl Generated {
    /// Reads progenitor's two files.
    pub fn parse(client: syn::File, mock: syn::File) -> Result<Self, String> {
        Ok(Self {
            client: Client::parse(client)?,
            mock: Mock::parse(mock)?,
            gates: Gates::default(),
        })
    }

    /// The client file as it stands, printed.
    pub fn client_text(&self) -> String {
        let tables: Vec<&Table> = self.client.builders.tables.iter().collect();
        let mut file = self.client.file();
        self.gates.apply(&mut file.items);
        table::fill(prettyplease::unparse(&file), &tables)
    }

    /// The mock file as it stands, printed.
    pub fn mock_text(&self) -> String {
        let tables: Vec<&Table> = self.mock.tables.iter().collect();
        let mut file = self.mock.file();
        self.gates.apply(&mut file.items);
        table::fill(prettyplease::unparse(&file), &tables)
    }
}
