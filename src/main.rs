//! The `crmit` executable; everything is in the library (`src/lib.rs`).

use std::alloc::{GlobalAlloc, Layout, System};

/// Where a block of memory comes from, by its size. musl's allocator maps and unmaps memory for
/// many small blocks: a CGI request of the students list made about 190 `mmap` and 130 `munmap`
/// calls, most of them while the database driver compiles its version regexes, and that cost
/// 1.5 ms of every request. dlmalloc takes memory from the system in large segments and reuses
/// it, so small blocks come from it. Large ones stay with musl: it grows them in place with
/// `mremap`, where dlmalloc would copy (a dump's 17 MB body then peaked at 57 MB instead of 25).
struct BySize;

/// From this size on a block is musl's.
const LARGE: usize = 256 * 1024;

static SMALL: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

// SAFETY: every block is freed, and grown in place, by the allocator that made it: the size of a
// block's layout, which Rust passes unchanged to dealloc and realloc, tells which one that is; a
// block whose size crosses `LARGE` is moved to the other allocator by copying.
unsafe impl GlobalAlloc for BySize {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match layout.size() >= LARGE {
            true => unsafe { System.alloc(layout) },
            false => unsafe { SMALL.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match layout.size() >= LARGE {
            true => unsafe { System.alloc_zeroed(layout) },
            false => unsafe { SMALL.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match layout.size() >= LARGE {
            true => unsafe { System.dealloc(ptr, layout) },
            false => unsafe { SMALL.dealloc(ptr, layout) },
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= LARGE, new_size >= LARGE) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { SMALL.realloc(ptr, layout, new_size) },
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
