//! Any bytes as a record file of any kind (an observation or a reflection, as its `format` says):
//! parsing must end in a record or in diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubrica::Record;

fuzz_target!(|data: &[u8]| {
    match Record::parse_bytes(data) {
        Ok(parsed) => {
            // A record that parsed must come back from its own canonical form unchanged.
            let canonical = parsed.record.as_ref().to_json();
            let text = serde_json::to_string(&canonical).expect("a JSON value serialises");
            let again = match Record::parse(&text) {
                Ok(again) => again,
                Err(d) => panic!("the canonical form of a valid record is invalid: {d}"),
            };
            assert_eq!(
                again.record.as_ref().to_json(),
                canonical,
                "the canonical form changed when read again"
            );
        }
        Err(diags) => {
            assert!(!diags.0.is_empty());
            for d in &diags.0 {
                assert!(!d.message.is_empty());
            }
        }
    }
});
