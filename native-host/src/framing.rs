//! Native-messaging framing: a 4-byte native-endian length, then that many bytes of UTF-8 JSON,
//! in both directions. This is the only module that writes to stdout; anything else written
//! there would corrupt the stream the browser reads.

use std::io::{self, Read, Write};

use ssobridge_core::protocol::{ErrorBody, ErrorCode, Reply, MAX_MESSAGE_LEN};

/// One read from the browser.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A complete message body (not yet decoded).
    Message(Vec<u8>),
    /// The length prefix announced more than [`MAX_MESSAGE_LEN`]; the body was skipped.
    TooLarge(u64),
    /// Clean end of input between messages: the browser closed the port.
    End,
    /// Input ended inside a length prefix or a body; nothing more can be read.
    Truncated(&'static str),
}

/// Reads the next message. Oversized bodies are read and discarded so the stream stays in step.
pub fn read_message(input: &mut impl Read) -> io::Result<Incoming> {
    let mut prefix = [0u8; 4];
    let got = read_up_to(input, &mut prefix)?;
    if got == 0 {
        return Ok(Incoming::End);
    }
    if got < 4 {
        return Ok(Incoming::Truncated("input ended inside a length prefix"));
    }
    let len = u32::from_ne_bytes(prefix) as usize;
    if len > MAX_MESSAGE_LEN {
        let skipped = io::copy(&mut input.take(len as u64), &mut io::sink())?;
        if skipped < len as u64 {
            return Ok(Incoming::Truncated("input ended inside a message body"));
        }
        return Ok(Incoming::TooLarge(len as u64));
    }
    let mut body = vec![0u8; len];
    if read_up_to(input, &mut body)? < len {
        return Ok(Incoming::Truncated("input ended inside a message body"));
    }
    Ok(Incoming::Message(body))
}

/// Fills `buf` as far as the input allows; returns how many bytes were read.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes one reply with its length prefix and flushes. A reply that would exceed the limit
/// (the browser drops the port on one) is replaced by an `internal_error` reply.
pub fn write_reply(output: &mut impl Write, reply: &Reply) -> io::Result<()> {
    let mut body = serde_json::to_vec(reply).map_err(io::Error::other)?;
    if body.len() > MAX_MESSAGE_LEN {
        let small = Reply::failure(
            reply.id.clone(),
            ErrorBody::new(
                ErrorCode::InternalError,
                format!("the reply would be {} bytes, over the 1 MiB limit", body.len()),
            ),
        );
        body = serde_json::to_vec(&small).map_err(io::Error::other)?;
    }
    let len = u32::try_from(body.len()).map_err(io::Error::other)?;
    output.write_all(&len.to_ne_bytes())?;
    output.write_all(&body)?;
    output.flush()
}

/// Frames a message body (used by tests and the PROTOCOL.md runner).
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as u32).to_ne_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        let mut input = bytes;
        let mut out = Vec::new();
        loop {
            let next = read_message(&mut input).unwrap();
            let stop = matches!(next, Incoming::End | Incoming::Truncated(_));
            out.push(next);
            if stop {
                return out;
            }
        }
    }

    #[test]
    fn reads_several_messages_then_end() {
        let mut bytes = frame(b"{}");
        bytes.extend(frame(b"[1]"));
        assert_eq!(
            read_all(&bytes),
            [Incoming::Message(b"{}".to_vec()), Incoming::Message(b"[1]".to_vec()), Incoming::End]
        );
    }

    #[test]
    fn truncated_prefix_and_body() {
        assert_eq!(read_all(&[1, 0]), [Incoming::Truncated("input ended inside a length prefix")]);
        let mut short = frame(b"{\"id\":1}");
        short.truncate(7);
        assert_eq!(read_all(&short), [Incoming::Truncated("input ended inside a message body")]);
    }

    #[test]
    fn oversize_is_skipped_and_the_stream_stays_in_step() {
        let big = vec![b' '; MAX_MESSAGE_LEN + 1];
        let mut bytes = frame(&big);
        bytes.extend(frame(b"{}"));
        assert_eq!(
            read_all(&bytes),
            [Incoming::TooLarge(MAX_MESSAGE_LEN as u64 + 1), Incoming::Message(b"{}".to_vec()), Incoming::End]
        );
    }
}
