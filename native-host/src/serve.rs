//! The native-messaging loop: read a message, answer it, until the browser closes stdin.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use ssobridge_core::protocol::{decode_request, ErrorBody, ErrorCode, HostInfo, Reply, MAX_MESSAGE_LEN};

use crate::actions::{dispatch, Context};
use crate::framing::{read_message, write_reply, Incoming};

/// Exit status after a clean end of input.
pub const EXIT_OK: i32 = 0;
/// Exit status when the stream broke (truncated frame, unreadable stdin, unwritable stdout).
pub const EXIT_STREAM_BROKEN: i32 = 1;

/// Serves requests until end of input; returns the process exit status.
pub fn serve(ctx: &Context, mut input: impl Read, mut output: impl Write) -> i32 {
    loop {
        let reply = match read_message(&mut input) {
            Ok(Incoming::Message(body)) => handle(ctx, &body),
            Ok(Incoming::TooLarge(len)) => Reply::failure(
                None,
                ErrorBody::new(
                    ErrorCode::MessageTooLarge,
                    format!("message of {len} bytes is over the {MAX_MESSAGE_LEN}-byte limit"),
                ),
            ),
            Ok(Incoming::End) => return EXIT_OK,
            Ok(Incoming::Truncated(why)) => {
                tracing::warn!("{why}");
                let _ = write_reply(&mut output, &Reply::failure(None, ErrorBody::new(ErrorCode::InvalidMessage, why)));
                return EXIT_STREAM_BROKEN;
            }
            Err(e) => {
                tracing::error!("cannot read stdin: {e}");
                return EXIT_STREAM_BROKEN;
            }
        };
        if let Err(e) = write_reply(&mut output, &reply) {
            tracing::error!("cannot write stdout: {e}");
            return EXIT_STREAM_BROKEN;
        }
    }
}

/// Decodes and runs one message; never panics outward.
pub fn handle(ctx: &Context, body: &[u8]) -> Reply {
    let request = match decode_request(body) {
        Ok(request) => request,
        Err(e) => {
            tracing::warn!(
                code = e.error.code.as_str(),
                field = e.error.field.as_deref(),
                "bad request: {}",
                e.error.message
            );
            return Reply::failure(e.id, e.error);
        }
    };
    let action = request.action.name();
    let outcome = catch_unwind(AssertUnwindSafe(|| dispatch(ctx, &request.action)));
    match outcome {
        Ok(Ok(result)) => {
            tracing::info!(id = ?request.id, action, "ok");
            Reply { id: Some(request.id), host: HostInfo::current(), ok: true, result: Some(result), error: None }
        }
        Ok(Err(e)) => {
            let body = e.to_body();
            tracing::warn!(id = ?request.id, action, code = body.code.as_str(), "{}", body.message);
            Reply::failure(Some(request.id), body)
        }
        Err(_) => Reply::failure(
            Some(request.id),
            ErrorBody::new(ErrorCode::InternalError, format!("the host failed while running `{action}`")),
        ),
    }
}
