//! Any bytes as a record file: parsing must end in a record or in diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rubrica::Observation;

fuzz_target!(|data: &[u8]| {
    match Observation::parse_bytes(data) {
        Ok(parsed) => {
            // A record that parsed must survive its own canonical form.
            let again = serde_json::to_string(&parsed.observation.to_json()).unwrap_or_default();
            assert!(
                Observation::parse(&again).is_ok(),
                "canonical form of a valid record is invalid"
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
