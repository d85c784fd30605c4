//! A memory meter for hosts that score on several threads: a global allocator that counts, per
//! thread, the bytes that thread has allocated less those it has freed.
//!
//! The engine holds each indicator call to [`crate::Limits::max_memory_bytes`] by reading a
//! meter before and during the call. A process-wide counter (such as `cap::Cap`) works, but every
//! allocation of every thread then updates one shared atomic: with two threads scoring, most of
//! the second core went to passing that counter's cache line back and forth. Counting per
//! thread costs no sharing at all, and each call is measured by what its own thread allocates.
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: rubrica::ThreadMeter<std::alloc::System> = rubrica::ThreadMeter::new(std::alloc::System);
//! rubrica::use_host_memory_meter(rubrica::ThreadMeter::<std::alloc::System>::in_use_by_this_thread);
//! ```
//!
//! The one place in the engine that needs `unsafe`: implementing `GlobalAlloc` is an unsafe
//! trait. Every method forwards to the wrapped allocator unchanged and only adds to a counter.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    /// Bytes this thread allocated less bytes it freed (negative when it freed memory that
    /// another thread allocated). A `const` thread-local without a destructor: reading it never
    /// allocates, so the allocator may use it.
    static NET: Cell<isize> = const { Cell::new(0) };
}

/// Offset added to the per-thread count so the meter's reading stays a `usize`: only the
/// difference between two readings on one thread means anything.
const ORIGIN: usize = usize::MAX / 2;

fn add(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let _ = NET.try_with(|n| n.set(n.get().saturating_add(bytes)));
}

fn sub(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let _ = NET.try_with(|n| n.set(n.get().saturating_sub(bytes)));
}

/// A global allocator wrapper that counts allocated bytes per thread. See the module docs.
#[derive(Debug)]
pub struct ThreadMeter<A> {
    inner: A,
}

impl<A> ThreadMeter<A> {
    /// Wraps `inner`.
    pub const fn new(inner: A) -> Self {
        ThreadMeter { inner }
    }

    /// The meter to pass to [`crate::use_host_memory_meter`]: the calling thread's net
    /// allocation, offset to stay positive. Compare two readings of one thread only.
    pub fn in_use_by_this_thread() -> usize {
        let net = NET.try_with(Cell::get).unwrap_or(0);
        ORIGIN.wrapping_add_signed(net)
    }
}

// SAFETY: every method forwards its arguments unchanged to the wrapped allocator, which upholds
// `GlobalAlloc`'s contract; the counting around it neither allocates nor unwinds (a `Cell` in a
// const thread-local without a destructor, saturating arithmetic).
unsafe impl<A: GlobalAlloc> GlobalAlloc for ThreadMeter<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on as they are.
        let p = unsafe { self.inner.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { self.inner.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller guarantees `ptr` was allocated by this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) };
        sub(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's guarantees for `ptr`, `layout` and `new_size` are passed on.
        let p = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            sub(layout.size());
            add(new_size);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_this_thread_allocates_and_frees() {
        let alloc = ThreadMeter::new(std::alloc::System);
        let layout = Layout::from_size_align(4096, 8).unwrap_or(Layout::new::<u64>());
        let before = ThreadMeter::<std::alloc::System>::in_use_by_this_thread();
        // SAFETY: a non-zero layout, freed below with the same layout.
        let p = unsafe { alloc.alloc(layout) };
        assert!(!p.is_null());
        let during = ThreadMeter::<std::alloc::System>::in_use_by_this_thread();
        assert_eq!(during.wrapping_sub(before), 4096);
        // SAFETY: `p` came from `alloc` with `layout`; grown to 8192 bytes.
        let q = unsafe { alloc.realloc(p, layout, 8192) };
        assert!(!q.is_null());
        let grown = ThreadMeter::<std::alloc::System>::in_use_by_this_thread();
        assert_eq!(grown.wrapping_sub(before), 8192);
        let other = std::thread::spawn(ThreadMeter::<std::alloc::System>::in_use_by_this_thread)
            .join()
            .unwrap_or(0);
        assert_eq!(other, ORIGIN, "another thread's count is its own");
        let bigger = Layout::from_size_align(8192, 8).unwrap_or(layout);
        // SAFETY: `q` came from `realloc` with size 8192 and the same alignment.
        unsafe { alloc.dealloc(q, bigger) };
        assert_eq!(
            ThreadMeter::<std::alloc::System>::in_use_by_this_thread(),
            before
        );
    }
}
