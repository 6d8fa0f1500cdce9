//! `junos-space api OPERATION`: one command per operation of spec/, built from the spec when
//! the program starts. Path and query parameters are flags typed by their schema; a body is
//! `--body` (JSON text, `@file`, or `-` for stdin); an operation whose answer names a job gets
//! `--wait`. The call goes through the generated client's dispatcher, so a new operation in
//! spec/ is a new command with no code here.

use std::io::Read as _;

use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase as _;
use junos_space::Client;
use junos_space::prelude::ClientInfo as _;
use junos_space_api::dynamic::{self, Answer, DispatchError};
use junos_space_model::SpecError;
use junos_space_model::api::{Api, HttpMethod, Kind, Operation, ParameterLocation, SchemaId};
use serde_json::{Map, Value};

use crate::exit::{Failure, printing};
use crate::output::Output;

/// The command that holds one subcommand per operation.
pub const GROUP: &str = "api";
/// The argument id of the request body (`--body`); no spec parameter can take it, as
/// parameter ids are their spec names, which have no `-`.
const BODY: &str = "request-body";
const WAIT: &str = "wait";

/// `api` without its subcommands: what every run but one of `api` (or a shell's completion)
/// needs of it, built without reading the spec. Reading the spec is most of the time of a
/// short run such as `--help`, and it grows with the spec.
pub fn group() -> Command {
    Command::new(GROUP)
        .about("Call any operation of the Junos Space API, with typed flags and body")
        .subcommand_required(true)
        .arg_required_else_help(true)
}

/// The spec's operations, as commands.
pub struct Operations {
    api: &'static Api,
}

impl Operations {
    /// The operations of the spec this program was built with.
    pub fn bundled() -> Result<Self, SpecError> {
        let api = Api::bundled().map_err(Clone::clone)?;
        Ok(Self { api })
    }

    /// The operations of `api`: the commands a spec gives, before any code is generated
    /// from it (calling one needs the client generated from the same spec).
    pub fn new(api: &'static Api) -> Self {
        Self { api }
    }

    /// The model of the API the commands are built from.
    pub fn api(&self) -> &Api {
        self.api
    }

    /// `api`, with a subcommand per operation.
    pub fn command(&self) -> Command {
        let mut group = group();
        for operation in self.api.operations() {
            group = group.subcommand(self.operation_command(operation));
        }
        group
    }

    fn operation_command(&self, operation: &Operation) -> Command {
        let trimmed = |text: &Option<String>| text.as_deref().map(str::trim).map(str::to_owned);
        let mut command = Command::new(command_name(&operation.id))
            .about(trimmed(&operation.summary).unwrap_or_default())
            .after_help(format!(
                "{} {} (operationId {})",
                operation.method.as_str(),
                operation.path,
                operation.id
            ));
        if let Some(description) = trimmed(&operation.description) {
            command = command.long_about(description);
        }
        for parameter in &operation.parameters {
            let kind = match parameter.location {
                ParameterLocation::Path => "path",
                _ => "query",
            };
            let help = trimmed(&parameter.description).map_or_else(
                || format!("({kind} parameter)"),
                |d| format!("{d} ({kind})"),
            );
            command = command.arg(
                Arg::new(parameter.name.clone())
                    .long(flag_name(&parameter.name))
                    .value_name("VALUE")
                    .required(parameter.required)
                    .help(help),
            );
        }
        if let Some(body) = &operation.request {
            let help = format!(
                "the request body: JSON text, @FILE, or - for stdin (sent as {})",
                body.content.text
            );
            // The spec's example, in full with --help.
            let long_help = match &body.content.example {
                Some(example) => format!("{help}; for example:\n{example}"),
                None => help.clone(),
            };
            command = command.arg(
                Arg::new(BODY)
                    .long("body")
                    .value_name("JSON|@FILE|-")
                    .required(body.required)
                    .help(help)
                    .long_help(long_help),
            );
        }
        if operation.starts_job() {
            command = command
                .arg(
                    Arg::new(WAIT)
                        .long("wait")
                        .action(ArgAction::SetTrue)
                        .help("wait for the job the answer names, showing its progress"),
                )
                .arg(
                    crate::porcelain::wait::deadline_arg()
                        .requires(WAIT)
                        .help("with --wait: how long the job may run before the wait gives up"),
                );
        }
        command
    }

    /// Whether the operation `name` names answers a collection, printed as a list.
    pub fn lists(&self, name: &str) -> Result<bool, Failure> {
        Ok(self.named(name)?.collection.is_some())
    }

    /// The operation whose command is `name`.
    fn named(&self, name: &str) -> Result<&Operation, Failure> {
        self.api
            .operations()
            .iter()
            .find(|o| command_name(&o.id) == name)
            .ok_or_else(|| Failure::Usage(format!("no operation `{name}`")))
    }

    /// Runs the operation `name` names with the flags in `matches`, printing its answer (a
    /// collection member by member).
    pub async fn run(
        &self,
        client: &Client,
        name: &str,
        matches: &ArgMatches,
        output: &mut Output,
    ) -> Result<(), Failure> {
        let operation = self.named(name)?;
        let mut parameters = Map::new();
        for parameter in &operation.parameters {
            if let Some(text) = matches.get_one::<String>(&parameter.name) {
                // A collection's query as the porcelain takes it, or in the server's grammar.
                let text = match (&operation.collection, parameter.name.as_str()) {
                    (Some(_), "filter") => crate::query::filter_expression(text),
                    (Some(_), "sortby") => crate::query::sortby_expression(text)?,
                    _ => text.clone(),
                };
                let value = self.typed(parameter.schema, &parameter.name, &text)?;
                parameters.insert(parameter.name.clone(), value);
            }
        }
        let body = match matches.try_get_one::<String>(BODY).ok().flatten() {
            Some(source) => Some(read_body(source)?),
            None => None,
        };
        let waits = matches.try_get_one::<bool>(WAIT).ok().flatten() == Some(&true);
        let call = Call {
            operation,
            parameters,
            body,
            wait: waits.then(|| crate::porcelain::wait::deadline_of(matches)),
            yes: matches.get_flag("yes"),
            dry_run: matches.get_flag(DRY_RUN),
        };
        self.perform(client, call, output).await
    }

    /// Makes `call`: asks first for a delete, prints the request on a dry run, else sends it,
    /// prints its answer as the server sent it (a collection member by member) and follows
    /// its job when asked to.
    pub async fn perform(
        &self,
        client: &Client,
        call: Call<'_>,
        output: &mut Output,
    ) -> Result<(), Failure> {
        let Call {
            operation,
            parameters,
            body,
            wait,
            yes,
            dry_run,
        } = call;
        if dry_run {
            self.refuse_unnamed(operation, body.as_ref())?;
            print!(
                "{}",
                self.request_text(client, operation, &parameters, body.as_ref())
            );
            return Ok(());
        }
        if operation.method == HttpMethod::Delete {
            let mut path = operation.path.clone();
            for (name, value) in &parameters {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                path = path.replace(&format!("{{{name}}}"), &value);
            }
            let command = command_name(&operation.id);
            crate::confirm::go_ahead(&format!("{command} removes {path}"), yes)?;
        }
        let answer = self
            .call(client, operation, &parameters, body.as_ref())
            .await?;
        // What the server sent, once it decoded into its type: the type keeps only what the
        // spec names, and a member it does not (a device's `use-nat`) is the operator's too.
        let shown = answer.shown();
        match &operation.collection {
            Some(collection) if answer.status != 204 => {
                for member in collection.members(shown) {
                    output.record(member.clone()).map_err(printing)?;
                }
            }
            Some(_) => {}
            None if shown.is_null() => {}
            None => output.record(shown.clone()).map_err(printing)?,
        }
        if let Some(deadline) = wait {
            let job = self.job_named(operation, &answer)?;
            crate::porcelain::wait::wait_for(client, job, deadline, output).await?;
        }
        Ok(())
    }

    /// The operation with `operation_id`.
    pub fn operation(&self, operation_id: &str) -> Result<&Operation, Failure> {
        self.api.operation(operation_id).ok_or_else(|| {
            Failure::Usage(format!(
                "the built-in API description has no operation `{operation_id}`"
            ))
        })
    }

    /// The job a success answer of `operation` names, through the spec's `x-identifies`.
    pub fn job_named(&self, operation: &Operation, answer: &Answer) -> Result<i64, Failure> {
        self.job_in(operation, answer.status, &answer.body)
            .ok_or_else(|| Failure::Api(format!("the answer names no job: {}", answer.body)))
    }

    fn job_in(&self, operation: &Operation, status: u16, body: &Value) -> Option<i64> {
        let schema = operation.answer_schema(status)?;
        let named = self.api.identified(schema, body);
        let first = named.first()?;
        first.parameters.values().find_map(|value| match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.parse().ok(),
            _ => None,
        })
    }

    /// `text` as the JSON value the parameter's schema wants (a number for an integer id).
    fn typed(&self, schema: SchemaId, name: &str, text: &str) -> Result<Value, Failure> {
        let wrong =
            |what: &str| Failure::Usage(format!("--{}: `{text}` is not {what}", flag_name(name)));
        Ok(match self.api.schema(schema).kind {
            Some(Kind::Integer) => {
                Value::from(text.parse::<i64>().map_err(|_| wrong("an integer"))?)
            }
            Some(Kind::Number) => Value::from(text.parse::<f64>().map_err(|_| wrong("a number"))?),
            Some(Kind::Boolean) => {
                Value::from(text.parse::<bool>().map_err(|_| wrong("true or false"))?)
            }
            _ => Value::from(text),
        })
    }
}

impl Operations {
    /// Sends `operation` once, through the generated client's dispatcher; a failure is the
    /// client's error, with status, media type and body. A body member its schema does not
    /// name is refused before anything is sent: the generated types would drop it without a
    /// word (a misspelt deploy option would deploy without it).
    pub async fn call(
        &self,
        client: &Client,
        operation: &Operation,
        parameters: &Map<String, Value>,
        body: Option<&Value>,
    ) -> Result<Answer, Failure> {
        self.refuse_unnamed(operation, body)?;
        match dynamic::call(client, &operation.id, parameters, body).await {
            Ok(answer) => Ok(answer),
            Err(DispatchError::Api(error)) => Err(error.into()),
            Err(other) => Err(Failure::Usage(other.to_string())),
        }
    }
}

impl Operations {
    /// Refuses a body member its schema does not name: the generated types would drop it
    /// without a word (a misspelt deploy option would deploy without it).
    pub(crate) fn refuse_unnamed(
        &self,
        operation: &Operation,
        body: Option<&Value>,
    ) -> Result<(), Failure> {
        let schema = operation.request.as_ref().and_then(|r| r.content.schema);
        let (Some(body), Some(schema)) = (body, schema) else {
            return Ok(());
        };
        match self.api.unnamed_members(schema, body).first() {
            None => Ok(()),
            Some(first) => Err(Failure::Usage(format!(
                "{} does not know `{}` (nothing was sent); known there: {}",
                operation.id,
                first.at,
                first.known.join(", ")
            ))),
        }
    }

    /// The request `operation` would send, for `--dry-run`: method and URL, its media types,
    /// and its body with every secret masked (the credentials are not shown at all).
    pub fn request_text(
        &self,
        client: &Client,
        operation: &Operation,
        parameters: &Map<String, Value>,
        body: Option<&Value>,
    ) -> String {
        let text = |value: &Value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        };
        let mut path = operation.path.clone();
        let mut query = Vec::new();
        for parameter in &operation.parameters {
            let Some(value) = parameters.get(&parameter.name) else {
                continue;
            };
            match parameter.location {
                ParameterLocation::Path => {
                    path = path.replace(&format!("{{{}}}", parameter.name), &text(value));
                }
                _ => query.push(format!("{}={}", parameter.name, text(value))),
            }
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        // An operation below its own server (Security Director's) goes where the client
        // sends it: the base URL with its base path replaced, by the runtime's one rule.
        let url = if operation.base_path == junos_space::Client::BASE_PATH {
            format!("{}{path}", client.baseurl())
        } else {
            client
                .inner()
                .request_url_below(
                    client.baseurl(),
                    junos_space::Client::BASE_PATH,
                    &operation.base_path,
                    &path,
                )
                .map_or_else(|_| format!("{}{path}", client.baseurl()), String::from)
        };
        let mut lines = vec![format!("{} {url}{query}", operation.method.as_str())];
        lines.extend(
            operation
                .accept_header()
                .map(|accept| format!("Accept: {accept}")),
        );
        lines.extend(
            operation
                .content_type()
                .map(|ty| format!("Content-Type: {ty}")),
        );
        let schema = operation.request.as_ref().and_then(|r| r.content.schema);
        if let (Some(body), Some(schema)) = (body, schema) {
            let masked = self.api.masked(schema, body);
            lines.push(String::new());
            lines
                .push(serde_json::to_string_pretty(&masked).unwrap_or_else(|_| masked.to_string()));
        }
        lines.push(String::new());
        lines.join("\n")
    }
}

/// One call as a command asks for it.
pub struct Call<'o> {
    pub operation: &'o Operation,
    /// Path and query parameters by their spec names, typed.
    pub parameters: Map<String, Value>,
    pub body: Option<Value>,
    /// Follow the job the answer names, until this deadline.
    pub wait: Option<std::time::Duration>,
    /// `--yes`: a delete goes ahead without asking.
    pub yes: bool,
    /// `--dry-run`: print the request, send nothing.
    pub dry_run: bool,
}

/// The flag that prints the requests a command would send, and sends nothing.
pub const DRY_RUN: &str = "dry-run";

/// `listDevices` → `list-devices` (heck's kebab case, which also keeps acronyms whole:
/// `getOSVersion` → `get-os-version`).
pub fn command_name(operation_id: &str) -> String {
    operation_id.to_kebab_case()
}

/// `device_id` → `device-id`.
pub fn flag_name(parameter: &str) -> String {
    parameter.to_kebab_case()
}

/// The body `--body` names: JSON text, `@FILE`, or `-` for stdin.
fn read_body(source: &str) -> Result<Value, Failure> {
    let (text, from) = match source {
        "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::Usage(format!("--body -: {e}")))?;
            (text, "stdin".to_owned())
        }
        _ if source.starts_with('@') => {
            let path = &source[1..];
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Usage(format!("--body {source}: {e}")))?;
            (text, path.to_owned())
        }
        _ => (source.to_owned(), "--body".to_owned()),
    };
    serde_json::from_str(&text).map_err(|e| Failure::Usage(format!("{from} is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case() {
        assert_eq!(command_name("listDevices"), "list-devices");
        assert_eq!(command_name("getJobProgress"), "get-job-progress");
        assert_eq!(command_name("execDeployJam"), "exec-deploy-jam");
        assert_eq!(command_name("getOSVersion"), "get-os-version");
        assert_eq!(flag_name("device_id"), "device-id");
    }

    #[test]
    fn every_operation_is_a_command_with_its_parameters_as_flags() {
        let operations = Operations::bundled().expect("the bundled spec");
        let api = operations.command();
        api.clone().debug_assert();
        for operation in operations.api().operations() {
            let name = command_name(&operation.id);
            let command = api
                .find_subcommand(&name)
                .unwrap_or_else(|| panic!("no command {name}"));
            for parameter in &operation.parameters {
                let arg = command
                    .get_arguments()
                    .find(|a| a.get_id() == parameter.name.as_str())
                    .unwrap_or_else(|| panic!("{name} lacks {}", parameter.name));
                assert_eq!(arg.get_long(), Some(flag_name(&parameter.name).as_str()));
                assert_eq!(
                    arg.is_required_set(),
                    parameter.required,
                    "{name} {}",
                    parameter.name
                );
            }
            let has_body = command.get_arguments().any(|a| a.get_id() == BODY);
            assert_eq!(has_body, operation.request.is_some(), "{name}");
            // Every asynchronous operation (a 202 with a task) can be waited for.
            let asynchronous = operation
                .responses
                .iter()
                .any(|r| r.status == junos_space_model::api::Status::Code(202));
            let waits = command.get_arguments().any(|a| a.get_id() == WAIT);
            assert_eq!(waits, asynchronous, "{name}");
        }
    }

    #[test]
    fn flag_values_take_their_schemas_type() {
        let operations = Operations::bundled().expect("the bundled spec");
        let job = operations.api().operation("getJob").expect("in the spec");
        let integer = job.parameters[0].schema;
        let list = operations.api().operation("listJobs").expect("in the spec");
        let text = list
            .parameters
            .iter()
            .find(|p| p.name == "filter")
            .expect("a filter")
            .schema;
        assert_eq!(
            operations
                .typed(integer, "device_id", "131073")
                .expect("an integer"),
            Value::from(131_073)
        );
        let error = operations
            .typed(integer, "device_id", "mx-1")
            .expect_err("not an integer");
        assert!(
            error
                .to_string()
                .contains("--device-id: `mx-1` is not an integer"),
            "{error}"
        );
        assert_eq!(
            operations
                .typed(text, "filter", "(name eq 'a')")
                .expect("text"),
            Value::from("(name eq 'a')")
        );
    }
}
