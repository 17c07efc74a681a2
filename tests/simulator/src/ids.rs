//! Random identifiers without the `rand` crate: a xorshift64* generator seeded
//! from the clock and a process-wide counter, UUID v4 strings, new-api style
//! request ids, and fake-but-stable OSS signatures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// SplitMix64 finaliser, used to spread seeds.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A small xorshift64* pseudo-random generator (not cryptographic).
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator with a fixed seed (deterministic output).
    pub fn from_seed(seed: u64) -> Self {
        let state = splitmix64(seed);
        Self {
            state: if state == 0 {
                0x2545_F491_4F6C_DD1D
            } else {
                state
            },
        }
    }

    /// A generator seeded from the current time and a process-wide counter, so
    /// two generators created in the same nanosecond still differ.
    pub fn from_entropy() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self::from_seed(nanos ^ splitmix64(count))
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Fills `buf` with random bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A random UUID v4 string, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lowercase.
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    Rng::from_entropy().fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// True if `s` has the UUID v4 textual shape produced by [`uuid_v4`].
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// A new-api style request id: China time `YYYYMMDDHHMMSS`, nine digits of
/// sub-second noise, then eight random alphanumerics.
pub fn relay_request_id(epoch_ms: u64) -> String {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = Rng::from_entropy();
    let nanos = (epoch_ms % 1000) * 1_000_000 + rng.next_u64() % 1_000_000;
    let tail: String = (0..8)
        .map(|_| ALNUM[(rng.next_u64() % ALNUM.len() as u64) as usize] as char)
        .collect();
    format!(
        "{}{nanos:09}{tail}",
        crate::time::format_china_compact(epoch_ms)
    )
}

/// Standard base64 (with padding).
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        out.push(TABLE[(n >> 18) as usize & 63] as char);
        out.push(TABLE[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            TABLE[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            TABLE[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A fake OSS URL signature: 20 bytes (HMAC-SHA1 sized) derived from the task
/// id and expiry, base64-encoded then percent-encoded, e.g.
/// `eFkjP45eqYZDbRPLcwYQJNp%2FF8s%3D`. Stable for the same inputs.
pub fn oss_signature(task_id: &str, expires: u64) -> String {
    // FNV-1a over the inputs seeds the generator.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in task_id.bytes().chain(expires.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    let mut bytes = [0u8; 20];
    Rng::from_seed(h).fill(&mut bytes);
    percent_encode(&base64(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_v4_shape_and_differ() {
        let a = uuid_v4();
        let b = uuid_v4();
        assert!(is_uuid_v4(&a), "{a}");
        assert!(is_uuid_v4(&b), "{b}");
        assert_ne!(a, b);
        assert!(is_uuid_v4("3a7d8355-ef78-48cd-863c-6cdb9707ba91"));
        assert!(!is_uuid_v4("3a7d8355-ef78-18cd-863c-6cdb9707ba91"));
    }

    #[test]
    fn base64_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn signature_is_stable_and_url_safe() {
        let s = oss_signature("abc", 42);
        assert_eq!(s, oss_signature("abc", 42));
        assert_ne!(s, oss_signature("abd", 42));
        assert!(s.ends_with("%3D"), "{s}");
        assert!(!s.contains(['+', '/', '=']));
    }

    #[test]
    fn request_id_shape() {
        let id = relay_request_id(1_770_788_545_332);
        assert!(id.starts_with("20260211134225332"), "{id}");
        assert_eq!(id.len(), 14 + 9 + 8);
    }
}
