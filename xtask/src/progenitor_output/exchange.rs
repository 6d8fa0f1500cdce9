//! The body of a builder's `send` as progenitor writes it, statement by statement: the
//! arguments unpacked, the URL, the header map, the request chain, the operation's info, the
//! hooks, and the match on the answer's status. What is written back is the request's part
//! alone ([`Exchange::request_block`]); the rest is read, and sent by the runtime.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Expr, Pat, Stmt, parse_quote};

use super::syntax::{
    ChainCall, call_of, chain, expr_path, integer_literal, is_ident, path_ends_with,
    string_literal, unchain, unwrap_block,
};

/// One exchange: a request sent and its answer read.
pub struct Exchange {
    /// `let Self { .. } = self;` and each argument's `map_err(Error::InvalidRequest)?`.
    pub unpack: Vec<Stmt>,
    pub url: Url,
    /// `let mut header_map = ...;` and its appends, when progenitor writes them.
    pub headers: Option<HeaderMap>,
    pub request: Request,
    /// progenitor's snake-case operation id, from `let info = OperationInfo { .. }`.
    pub operation_id: String,
    pub status: StatusMatch,
}

/// `let url = ..;`
pub struct Url {
    local: syn::Local,
    /// The path below the base URL (`"/path"`, or `&format!("/path/{}", args..)`) when
    /// progenitor writes the URL as `format!("{}/path/{}", client.baseurl, args..)`.
    pub path: Option<Expr>,
    /// What `url` is set to; progenitor's until a step changes it.
    pub init: Expr,
}

/// The header map progenitor builds for every request.
pub struct HeaderMap {
    declaration: Stmt,
    pub headers: Vec<Header>,
}

/// One `header_map.append(name, value)`.
pub struct Header {
    /// The header's name, when progenitor writes it as a literal.
    pub name: Option<String>,
    statement: Stmt,
}

/// `#[allow(unused_mut)] let mut request = client.client.get(url)...build()?;`
pub struct Request {
    /// The statement, its value replaced when written back.
    local: syn::Local,
    receiver: Expr,
    /// The calls on `client.client`, in order, without the final `build()`.
    pub calls: Vec<RequestCall>,
}

/// One call of the request chain.
pub struct RequestCall {
    pub kind: CallKind,
    call: ChainCall,
}

/// What a call of the request chain does.
#[derive(Debug, Clone, PartialEq)]
pub enum CallKind {
    /// `get(url)`, `post(url)`: the HTTP method.
    Method,
    /// `header(ACCEPT, ..)`.
    Accept,
    /// `header(CONTENT_TYPE, ..)`.
    ContentType,
    /// `json(&body)`.
    Json,
    /// `query(&QueryParam::new("name", &value))`.
    Query { name: String, value: Expr },
    /// `headers(header_map)`.
    Headers,
    /// A call the model does not name.
    Other,
}

/// `match response.status().as_u16() { .. }`
pub struct StatusMatch {
    pub arms: Vec<StatusArm>,
}

/// One arm of the status match.
pub struct StatusArm {
    pub pattern: StatusPattern,
    pub answer: Answer,
}

/// The statuses an arm takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    /// `200u16`.
    Code(u16),
    /// `200u16..=299u16`.
    Range(u16, u16),
    /// `_`.
    Any,
}

/// What an arm makes of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `ResponseValue::from_response(response).await`: the body decoded as JSON.
    Decoded,
    /// `Ok(ResponseValue::empty(response))`: no body.
    Empty,
    /// `Ok(ResponseValue::stream(response))`: the body unread, as bytes.
    Stream,
    /// `Err(Error::ErrorResponse(..))`: a documented error status.
    Error,
    /// `Err(Error::UnexpectedResponse(response))`: any other status.
    Unexpected,
}

impl Exchange {
    /// Reads the statements of a `send` body; `name` is for messages.
    pub(super) fn parse(block: &syn::Block, name: &str) -> Result<Self, String> {
        let fail = |what: &str| format!("`{name}::send`: {what}");
        let mut statements = block.stmts.iter().cloned().peekable();
        let mut unpack = Vec::new();
        while let Some(statement) = statements.next_if(|s| local_name(s).as_deref() != Some("url"))
        {
            unpack.push(statement);
        }
        let url = Url::parse(statements.next(), name)?;
        let headers = match statements.next_if(|s| local_name(s).as_deref() == Some("header_map")) {
            Some(declaration) => {
                let mut headers = Vec::new();
                while let Some(statement) =
                    statements.next_if(|s| local_name(s).as_deref() != Some("request"))
                {
                    headers.push(Header::parse(statement));
                }
                Some(HeaderMap {
                    declaration,
                    headers,
                })
            }
            None => None,
        };
        let request = Request::parse(statements.next(), name)?;
        let info = statements
            .next()
            .ok_or_else(|| fail("nothing after the request"))?;
        // The info names the operation; the runtime's `Exchange` carries it from here.
        let operation_id = operation_info_id(&info)
            .ok_or_else(|| fail("no `let info = OperationInfo { operation_id: \"..\" }`"))?;
        // The hooks are not written back: the runtime sends the request (`Runtime::send`).
        let _pre = statements.next_if(|s| hook_name(s).as_deref() == Some("pre"));
        statements
            .next_if(|s| local_name(s).as_deref() == Some("result"))
            .ok_or_else(|| fail("no `let result = client.exec(..)`"))?;
        let _post = statements.next_if(|s| hook_name(s).as_deref() == Some("post"));
        statements
            .next_if(|s| local_name(s).as_deref() == Some("response"))
            .ok_or_else(|| fail("no `let response = result?`"))?;
        let status = match statements.next() {
            Some(Stmt::Expr(Expr::Match(found), None)) => StatusMatch::parse(found, name)?,
            _ => return Err(fail("it does not end with a match on the answer's status")),
        };
        if statements.next().is_some() {
            return Err(fail("statements after the match on the answer's status"));
        }
        Ok(Self {
            unpack,
            url,
            headers,
            request,
            operation_id,
            status,
        })
    }

    /// The request's part of the body, written back as the body of a function that gives the
    /// request built: the arguments unpacked, the URL, the headers, the request chain.
    pub(super) fn request_block(&self) -> syn::Block {
        let mut stmts = self.unpack.clone();
        stmts.push(self.url.statement());
        if let Some(headers) = &self.headers {
            stmts.push(headers.declaration.clone());
            stmts.extend(headers.headers.iter().map(|h| h.statement.clone()));
        }
        stmts.push(self.request.statement());
        stmts.push(Stmt::Expr(parse_quote!(Ok(request)), None));
        syn::Block {
            brace_token: Default::default(),
            stmts,
        }
    }
}

/// The name a `let` statement binds, if it binds one name.
fn local_name(statement: &Stmt) -> Option<String> {
    let Stmt::Local(local) = statement else {
        return None;
    };
    match &local.pat {
        Pat::Ident(ident) => Some(ident.ident.to_string()),
        _ => None,
    }
}

/// `client.<hook>(..).await?;`: the hook's name.
fn hook_name(statement: &Stmt) -> Option<String> {
    let Stmt::Expr(Expr::Try(tried), Some(_)) = statement else {
        return None;
    };
    let Expr::Await(awaited) = &*tried.expr else {
        return None;
    };
    let Expr::MethodCall(call) = &*awaited.base else {
        return None;
    };
    is_ident(&call.receiver, "client").then(|| call.method.to_string())
}

/// The operation id of `let info = OperationInfo { operation_id: "..." };`.
fn operation_info_id(statement: &Stmt) -> Option<String> {
    let Stmt::Local(local) = statement else {
        return None;
    };
    let Expr::Struct(info) = &*local.init.as_ref()?.expr else {
        return None;
    };
    if !path_ends_with(&info.path, &["OperationInfo"]) {
        return None;
    }
    info.fields.iter().find_map(|field| match &field.member {
        syn::Member::Named(name) if name == "operation_id" => string_literal(&field.expr),
        _ => None,
    })
}

impl Url {
    fn parse(statement: Option<Stmt>, name: &str) -> Result<Self, String> {
        let fail = || format!("`{name}::send`: the URL is not `let url = ..`");
        let Some(Stmt::Local(local)) = statement else {
            return Err(fail());
        };
        let init = local.init.as_ref().ok_or_else(fail)?.expr.as_ref().clone();
        let path = url_path(&init);
        Ok(Self { local, path, init })
    }

    fn statement(&self) -> Stmt {
        let mut local = self.local.clone();
        if let Some(init) = &mut local.init {
            *init.expr = self.init.clone();
        }
        Stmt::Local(local)
    }
}

/// The path of progenitor's `format!("{}/path/{}", client.baseurl, args..)`: the literal
/// `"/path"` when there are no arguments, else `&format!("/path/{}", args..)`.
fn url_path(expr: &Expr) -> Option<Expr> {
    let Expr::Macro(call) = expr else {
        return None;
    };
    if !call.mac.path.is_ident("format") {
        return None;
    }
    let arguments = call
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut arguments = arguments.into_iter();
    let template = string_literal(&arguments.next()?)?;
    let path = template.strip_prefix("{}")?.to_owned();
    let Expr::Field(base) = arguments.next()? else {
        return None;
    };
    let is_baseurl = matches!(&base.member, syn::Member::Named(n) if n == "baseurl");
    if !is_baseurl || !is_ident(&base.base, "client") {
        return None;
    }
    let rest: Vec<Expr> = arguments.collect();
    Some(if rest.is_empty() {
        parse_quote!(#path)
    } else {
        parse_quote!(&format!(#path, #(#rest),*))
    })
}

impl Header {
    fn parse(statement: Stmt) -> Self {
        let name = match &statement {
            Stmt::Expr(Expr::MethodCall(call), _)
                if call.method == "append" && is_ident(&call.receiver, "header_map") =>
            {
                call.args.first().and_then(|first| {
                    string_literal(first).or_else(|| {
                        // `HeaderName::from_static("api-version")`
                        let (path, args) = call_of(first)?;
                        path_ends_with(path, &["from_static"])
                            .then(|| args.first().and_then(string_literal))
                            .flatten()
                    })
                })
            }
            _ => None,
        };
        Self { name, statement }
    }
}

impl Request {
    fn parse(statement: Option<Stmt>, name: &str) -> Result<Self, String> {
        let fail = |what: &str| format!("`{name}::send`: the request {what}");
        let Some(Stmt::Local(local)) = statement else {
            return Err(fail("is not `let mut request = ..`"));
        };
        let init = local.init.as_ref().ok_or_else(|| fail("has no value"))?;
        let Expr::Try(built) = &*init.expr else {
            return Err(fail("is not built with `build()?`"));
        };
        let (receiver, mut calls) = unchain(&built.expr);
        if !calls
            .last()
            .is_some_and(|c| c.is("build") && c.args.is_empty())
        {
            return Err(fail("is not built with `build()?`"));
        }
        calls.pop();
        let is_client = matches!(&receiver, Expr::Field(field)
            if is_ident(&field.base, "client")
                && matches!(&field.member, syn::Member::Named(n) if n == "client"));
        if !is_client {
            return Err(fail("does not start from `client.client`"));
        }
        let mut calls: Vec<RequestCall> = calls.into_iter().map(RequestCall::classify).collect();
        match calls.first_mut() {
            Some(first) if first.call.args.len() == 1 && is_ident(&first.call.args[0], "url") => {
                first.kind = CallKind::Method;
            }
            _ => return Err(fail("does not start with the HTTP method of `url`")),
        }
        Ok(Self {
            local,
            receiver,
            calls,
        })
    }

    fn statement(&self) -> Stmt {
        let mut calls: Vec<ChainCall> = self.calls.iter().map(|c| c.call.clone()).collect();
        calls.push(ChainCall::new("build", Default::default()));
        let built = Expr::Try(syn::ExprTry {
            attrs: Vec::new(),
            expr: Box::new(chain(self.receiver.clone(), &calls)),
            question_token: Default::default(),
        });
        let mut local = self.local.clone();
        if let Some(init) = &mut local.init {
            *init.expr = built;
        }
        Stmt::Local(local)
    }

    /// The first call of `kind`'s sort.
    pub fn position(&self, matches: impl Fn(&CallKind) -> bool) -> Option<usize> {
        self.calls.iter().position(|call| matches(&call.kind))
    }
}

impl RequestCall {
    /// A call of `method` with `arguments` (`(a, b)` tokens), doing `kind`.
    pub fn new(kind: CallKind, method: &str, arguments: TokenStream) -> Self {
        Self {
            kind,
            call: ChainCall::new(method, super::syntax::arguments(arguments)),
        }
    }

    /// `header(NAME, HeaderValue::from_static(value))` for a header of `kind`.
    pub fn header(kind: CallKind, name: TokenStream, value: &str) -> Self {
        Self::new(
            kind,
            "header",
            quote!(#name, ::reqwest::header::HeaderValue::from_static(#value)),
        )
    }

    fn classify(call: ChainCall) -> Self {
        let first_path = call.args.first().and_then(expr_path);
        let kind = match call.method.to_string().as_str() {
            "header" if first_path.is_some_and(|p| path_ends_with(p, &["ACCEPT"])) => {
                CallKind::Accept
            }
            "header" if first_path.is_some_and(|p| path_ends_with(p, &["CONTENT_TYPE"])) => {
                CallKind::ContentType
            }
            "json" => CallKind::Json,
            "headers" if call.args.len() == 1 && is_ident(&call.args[0], "header_map") => {
                CallKind::Headers
            }
            "query" => query_parameter(&call).unwrap_or(CallKind::Other),
            _ => CallKind::Other,
        };
        Self { kind, call }
    }
}

/// `query(&progenitor_client::QueryParam::new("name", &value))`.
fn query_parameter(call: &ChainCall) -> Option<CallKind> {
    let [Expr::Reference(argument)] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let (path, args) = call_of(&argument.expr)?;
    if !path_ends_with(path, &["QueryParam", "new"]) || args.len() != 2 {
        return None;
    }
    Some(CallKind::Query {
        name: string_literal(&args[0])?,
        value: args[1].clone(),
    })
}

impl StatusMatch {
    fn parse(found: syn::ExprMatch, name: &str) -> Result<Self, String> {
        let (receiver, calls) = unchain(&found.expr);
        let on_status = is_ident(&receiver, "response")
            && calls.len() == 2
            && calls[0].is("status")
            && calls[1].is("as_u16");
        if !on_status {
            return Err(format!(
                "`{name}::send` matches on something other than `response.status().as_u16()`"
            ));
        }
        let arms = found
            .arms
            .iter()
            .map(|arm| StatusArm::parse(arm, name))
            .collect::<Result<_, _>>()?;
        Ok(Self { arms })
    }
}

impl StatusArm {
    fn parse(arm: &syn::Arm, name: &str) -> Result<Self, String> {
        let pattern = match &arm.pat {
            Pat::Lit(lit) => integer_literal(&Expr::Lit(lit.clone()))
                .and_then(|code| u16::try_from(code).ok())
                .map(StatusPattern::Code),
            Pat::Range(range) => {
                let bound = |end: &Option<Box<Expr>>| {
                    end.as_deref()
                        .and_then(integer_literal)
                        .and_then(|code| u16::try_from(code).ok())
                };
                bound(&range.start)
                    .zip(bound(&range.end))
                    .map(|(low, high)| StatusPattern::Range(low, high))
            }
            Pat::Wild(_) => Some(StatusPattern::Any),
            _ => None,
        }
        .ok_or_else(|| {
            format!("`{name}::send`: a status arm that is not a code, a range or `_`")
        })?;
        let answer = classify_answer(&arm.body).ok_or_else(|| {
            format!("`{name}::send`: the arm for {pattern:?} reads the answer in a way progenitor did not")
        })?;
        Ok(Self { pattern, answer })
    }

    /// True when the arm takes a success status (2xx).
    pub fn is_success(&self) -> bool {
        match self.pattern {
            StatusPattern::Code(code) => (200..300).contains(&code),
            StatusPattern::Range(low, high) => low >= 200 && high < 300,
            StatusPattern::Any => false,
        }
    }
}

impl StatusPattern {
    /// True when the pattern takes `code`.
    pub fn covers(self, code: u16) -> bool {
        match self {
            Self::Code(own) => own == code,
            Self::Range(low, high) => (low..=high).contains(&code),
            Self::Any => true,
        }
    }

    /// The lowest and highest status taken, for a code or a range (`_` has none).
    pub fn bounds(self) -> Option<(u16, u16)> {
        match self {
            Self::Code(code) => Some((code, code)),
            Self::Range(low, high) => Some((low, high)),
            Self::Any => None,
        }
    }
}

/// What a progenitor arm does with the answer, read from its body.
fn classify_answer(body: &Expr) -> Option<Answer> {
    let body = unwrap_block(body);
    if let Expr::Await(awaited) = body {
        let (path, args) = call_of(&awaited.base)?;
        let from_response = path_ends_with(path, &["ResponseValue", "from_response"]);
        return (from_response && args.len() == 1 && is_ident(&args[0], "response"))
            .then_some(Answer::Decoded);
    }
    let (outer, args) = call_of(body)?;
    let [inner] = args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    match outer.get_ident()?.to_string().as_str() {
        "Ok" => {
            let (path, _) = call_of(inner)?;
            if path_ends_with(path, &["ResponseValue", "empty"]) {
                Some(Answer::Empty)
            } else if path_ends_with(path, &["ResponseValue", "stream"]) {
                Some(Answer::Stream)
            } else {
                None
            }
        }
        "Err" => {
            let (path, _) = call_of(inner)?;
            if path_ends_with(path, &["Error", "ErrorResponse"]) {
                Some(Answer::Error)
            } else if path_ends_with(path, &["Error", "UnexpectedResponse"]) {
                Some(Answer::Unexpected)
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_body_comes_apart_and_back_together() {
        let block: syn::Block = parse_quote!({
            let Self { client, filter } = self;
            let filter = filter.map_err(Error::InvalidRequest)?;
            let url = format!("{}/devices/{}", client.baseurl, encode_path(&id));
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map.append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
            );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("filter", &filter))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "get_device",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                204u16 => Ok(ResponseValue::empty(response)),
                404u16 => Err(Error::ErrorResponse(
                    ResponseValue::from_response(response).await?,
                )),
                _ => Err(Error::UnexpectedResponse(response)),
            }
        });
        let exchange = Exchange::parse(&block, "GetDevice").expect("progenitor's shape");
        assert_eq!(exchange.operation_id, "get_device");
        assert_eq!(exchange.unpack.len(), 2);
        let path: Expr = parse_quote!(&format!("/devices/{}", encode_path(&id)));
        assert_eq!(exchange.url.path.as_ref(), Some(&path));
        let headers = exchange.headers.as_ref().expect("a header map");
        assert_eq!(headers.headers[0].name.as_deref(), Some("api-version"));
        let kinds: Vec<&CallKind> = exchange.request.calls.iter().map(|c| &c.kind).collect();
        assert_eq!(
            kinds,
            [
                &CallKind::Method,
                &CallKind::Accept,
                &CallKind::Query {
                    name: "filter".into(),
                    value: parse_quote!(&filter)
                },
                &CallKind::Headers
            ]
        );
        let answers: Vec<(StatusPattern, Answer)> = exchange
            .status
            .arms
            .iter()
            .map(|arm| (arm.pattern, arm.answer))
            .collect();
        assert_eq!(
            answers,
            [
                (StatusPattern::Code(200), Answer::Decoded),
                (StatusPattern::Code(204), Answer::Empty),
                (StatusPattern::Code(404), Answer::Error),
                (StatusPattern::Any, Answer::Unexpected),
            ]
        );
        // Written back, the request's part prints as it came, and gives the request.
        let printed = |block: syn::Block| prettyplease::unparse(&parse_quote!(fn send() #block));
        let mut head = block.clone();
        head.stmts.truncate(6);
        head.stmts.push(Stmt::Expr(parse_quote!(Ok(request)), None));
        assert_eq!(printed(exchange.request_block()), printed(head));
    }

    #[test]
    fn a_body_in_another_shape_is_named() {
        let block: syn::Block = parse_quote!({
            let url = format!("{}/devices", client.baseurl);
            let request = client.client.get(url).send().await;
        });
        let error = Exchange::parse(&block, "GetDevice")
            .err()
            .expect("not progenitor's");
        assert!(error.contains("`GetDevice::send`: the request"), "{error}");
    }
}
