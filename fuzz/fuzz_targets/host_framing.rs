//! The host's framing reader (`framing::read_message`) against an independent reading of the same
//! bytes, fed in uneven chunks with interrupted reads; each body then goes through the decoder,
//! and a reply written with `write_reply` reads back as the same reply.
#![no_main]

use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use ssobridge_core::protocol::{decode_request, Reply, MAX_MESSAGE_LEN};
use ssobridge_host::framing::{frame, read_message, write_reply, Incoming};

/// Hands out at most 1..=7 bytes per read and reports `Interrupted` every fifth call, as a pipe may.
struct Choppy<'a> {
    data: &'a [u8],
    calls: usize,
}

impl Read for Choppy<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls % 5 == 0 {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = buf.len().min(self.data.len()).min(1 + self.calls % 7);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// What the stream holds, read with nothing but slices.
fn expected(mut data: &[u8]) -> Vec<Incoming> {
    let mut out = Vec::new();
    loop {
        if data.is_empty() {
            out.push(Incoming::End);
            return out;
        }
        if data.len() < 4 {
            out.push(Incoming::Truncated("input ended inside a length prefix"));
            return out;
        }
        let len = u32::from_ne_bytes([data[0], data[1], data[2], data[3]]) as usize;
        data = &data[4..];
        if data.len() < len {
            out.push(Incoming::Truncated("input ended inside a message body"));
            return out;
        }
        out.push(if len > MAX_MESSAGE_LEN {
            Incoming::TooLarge(len as u64)
        } else {
            Incoming::Message(data[..len].to_vec())
        });
        data = &data[len..];
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Choppy { data, calls: 0 };
    let mut got = Vec::new();
    loop {
        let next = read_message(&mut input).expect("reading from memory does not fail");
        let last = matches!(next, Incoming::End | Incoming::Truncated(_));
        got.push(next);
        if last {
            break;
        }
    }
    assert_eq!(got, expected(data), "the framing reader disagrees with the byte layout");

    for incoming in &got {
        let Incoming::Message(body) = incoming else { continue };
        let mut reframed = &frame(body)[..];
        assert_eq!(read_message(&mut reframed).unwrap(), Incoming::Message(body.clone()));
        let reply = match decode_request(body) {
            Ok(request) => Reply::success(request.id, &request.action.name()),
            Err(e) => Reply::failure(e.id, e.error),
        };
        let mut written = Vec::new();
        write_reply(&mut written, &reply).expect("writing to memory does not fail");
        let Incoming::Message(back) = read_message(&mut &written[..]).unwrap() else {
            panic!("a written reply does not read back")
        };
        let back: Reply = serde_json::from_slice(&back).expect("a written reply is JSON");
        assert_eq!(back, reply, "a reply changed on the wire");
    }
});
