//! The `crmit` executable; everything is in the library (`src/lib.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Where a block of memory comes from, by its size. musl's allocator maps and unmaps memory for
/// many small blocks: a CGI request of the students list made about 190 `mmap` and 130 `munmap`
/// calls, most of them while the database driver compiles its version regexes, and that cost
/// 1.5 ms of every request. dlmalloc takes memory from the system in large segments and reuses
/// it, so small blocks come from it. Large ones stay with musl: it grows them in place with
/// `mremap`, where dlmalloc would copy (a dump's 17 MB body then peaked at 57 MB instead of 25).
struct BySize;

/// From this size on a block is musl's.
const LARGE: usize = 256 * 1024;

/// The small blocks' heap behind a futex lock (uncontended: one atomic operation each way). The
/// crate's own global instance locks a pthread mutex around every call, which cost 8% of the
/// instructions of a CGI request in musl's `pthread_mutex_unlock` alone.
static SMALL: Mutex<Heap> = Mutex::new(Heap(dlmalloc::Dlmalloc::new()));

struct Heap(dlmalloc::Dlmalloc);

// SAFETY: the heap's raw pointers are only ever used by the one thread that holds the mutex.
unsafe impl Send for Heap {}

fn small() -> MutexGuard<'static, Heap> {
    // Nothing in the heap's code panics; a poisoned lock would still guard a consistent heap.
    SMALL.lock().unwrap_or_else(PoisonError::into_inner)
}

// SAFETY: every block is freed, and grown in place, by the allocator that made it: the size of a
// block's layout, which Rust passes unchanged to dealloc and realloc, tells which one that is; a
// block whose size crosses `LARGE` is moved to the other allocator by copying.
unsafe impl GlobalAlloc for BySize {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match layout.size() >= LARGE {
            true => unsafe { System.alloc(layout) },
            false => unsafe { small().0.malloc(layout.size(), layout.align()) },
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match layout.size() >= LARGE {
            true => unsafe { System.alloc_zeroed(layout) },
            false => unsafe { small().0.calloc(layout.size(), layout.align()) },
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match layout.size() >= LARGE {
            true => unsafe { System.dealloc(ptr, layout) },
            false => unsafe { small().0.free(ptr, layout.size(), layout.align()) },
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= LARGE, new_size >= LARGE) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe {
                small()
                    .0
                    .realloc(ptr, layout.size(), layout.align(), new_size)
            },
            _ => unsafe {
                let moved = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !moved.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                moved
            },
        }
    }
}

#[global_allocator]
static ALLOCATOR: BySize = BySize;

fn main() -> std::process::ExitCode {
    crmit::run()
}
