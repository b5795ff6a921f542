//! A small allocator for the browser modules (cargo feature `small-heap`, set by
//! `scripts/build-pkg` for the browser builds only; a library never picks the allocator of the app
//! that links it, so the feature is off by default).
//!
//! Contract of [`Heap`]:
//! - a request of `size` bytes aligned to `align` is served by a block of class
//!   k = max(4, ⌈log₂ size⌉, log₂ align): 2ᵏ bytes at an address that is a multiple of
//!   min(2ᵏ, 64 KiB), so every block of class k fits every request of class k;
//! - each class has one free list (LIFO, the link stored in the free block itself); a freed block
//!   goes back to its class and is never split or merged;
//! - new blocks are carved from memory obtained from a [`Grow`] in 64 KiB pages; the gap between
//!   the carving point and a block's alignment, and the tail left when a growth is not contiguous,
//!   are split into the largest aligned power-of-two blocks and put on their lists, so no byte
//!   is dropped;
//! - memory is never given back (WebAssembly memory cannot shrink); an alignment above 64 KiB, a
//!   size above 2 GiB or a failed growth is a null pointer (the caller's allocation error).
//!
//! Allocation and release are O(1) apart from growth. The price is internal slack (a request
//! gets up to twice its size), which is small for what these modules hold: tokens, a few
//! requests, the SRP integers.

/// Classes 2⁴ … 2³¹ bytes.
const MIN_CLASS: u32 = 4;
const CLASSES: usize = 28;
/// A WebAssembly page.
pub const PAGE: usize = 65_536;

/// Where new memory comes from: `grow(pages)` adds `pages` pages of 64 KiB and returns the address
/// of the first, page-aligned and never 0, or `None` when no memory is left.
pub trait Grow {
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// The allocator's state over a [`Grow`]. Addresses are plain `usize`s; [`Heap::alloc`] and
/// [`Heap::free`] read and write the free lists' links inside the blocks themselves.
pub struct Heap<G> {
    /// The first free block of each class, 0 when none.
    free: [usize; CLASSES],
    /// The carving point and the end of the memory obtained so far.
    next: usize,
    end: usize,
    grow: G,
}

/// The class of a request: its index in [`Heap::free`], or `None` when no class serves it.
pub fn class_of(size: usize, align: usize) -> Option<usize> {
    if align > PAGE {
        return None;
    }
    let need = size.max(align).max(1 << MIN_CLASS);
    let bits = usize::BITS - (need - 1).leading_zeros();
    let index = usize::try_from(bits.checked_sub(MIN_CLASS)?).ok()?;
    (index < CLASSES).then_some(index)
}

/// The bytes of a block of class `index`.
pub fn class_size(index: usize) -> usize {
    1 << (index + MIN_CLASS as usize)
}

impl<G: Grow> Heap<G> {
    pub const fn new(grow: G) -> Self {
        Heap {
            free: [0; CLASSES],
            next: 0,
            end: 0,
            grow,
        }
    }

    /// A block for `size` bytes aligned to `align`, or `None` (see the module's contract).
    ///
    /// # Safety
    /// The memory the [`Grow`] hands out must be this heap's alone, readable and writable, and
    /// every block given to [`Heap::free`] must come from this heap with the same request.
    pub unsafe fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        let index = class_of(size, align)?;
        let head = *self.free.get(index)?;
        if head != 0 {
            // SAFETY: `head` is a free block of this heap; its first word is the list's link.
            let next = unsafe { (head as *const usize).read() };
            *self.free.get_mut(index)? = next;
            return Some(head);
        }
        self.carve(index)
    }

    /// Returns the block at `address`, allocated for (`size`, `align`), to its class.
    ///
    /// # Safety
    /// `address` must come from [`Heap::alloc`] of this heap with the same `size` and `align`,
    /// and must not be used afterwards.
    pub unsafe fn free(&mut self, address: usize, size: usize, align: usize) {
        if let Some(index) = class_of(size, align) {
            // SAFETY: as the caller promises, the block is this heap's and no longer used.
            unsafe { self.push(address, index) };
        }
    }

    /// Puts a free block of class `index` at the head of its list.
    unsafe fn push(&mut self, address: usize, index: usize) {
        if let Some(head) = self.free.get_mut(index) {
            // SAFETY: the block is this heap's, free, and at least 16 bytes aligned to 16.
            unsafe { (address as *mut usize).write(*head) };
            *head = address;
        }
    }

    /// A new block of class `index` from the carving point, growing the memory when needed.
    unsafe fn carve(&mut self, index: usize) -> Option<usize> {
        let size = class_size(index);
        let align = size.min(PAGE);
        loop {
            let start = self.next.checked_add(align - 1)? & !(align - 1);
            if let Some(end) = start.checked_add(size).filter(|&end| end <= self.end) {
                // SAFETY: [next, start) is carved memory no block holds.
                unsafe { self.release(self.next, start) };
                self.next = end;
                return Some(start);
            }
            let pages = size.checked_add(align)?.div_ceil(PAGE);
            let base = self.grow.grow(pages)?;
            if base != self.end {
                // SAFETY: [next, end) is the unused tail of the previous growth.
                unsafe { self.release(self.next, self.end) };
                self.next = base;
            }
            self.end = base.checked_add(pages.checked_mul(PAGE)?)?;
        }
    }

    /// Puts the unused range [`from`, `to`) (both multiples of 16) on the free lists as the
    /// largest blocks that are aligned as their class requires.
    unsafe fn release(&mut self, mut from: usize, to: usize) {
        while from < to {
            let aligned = from.trailing_zeros();
            let fits = usize::BITS - 1 - (to - from).leading_zeros();
            let class = aligned.min(fits).min(MIN_CLASS + CLASSES as u32 - 1);
            let Some(index) = class.checked_sub(MIN_CLASS) else {
                return;
            };
            // SAFETY: the block lies in [from, to), which the caller gives up.
            unsafe { self.push(from, index as usize) };
            from += 1 << class;
        }
    }
}

#[cfg(all(target_arch = "wasm32", feature = "small-heap"))]
pub use wasm::WasmHeap;

#[cfg(all(target_arch = "wasm32", feature = "small-heap"))]
mod wasm {
    use super::{Grow, Heap, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    #[cfg(target_feature = "atomics")]
    compile_error!("the `small-heap` allocator is single-threaded; build without atomics");

    /// `memory.grow` on memory 0.
    pub struct Memory;

    impl Grow for Memory {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let previous = core::arch::wasm32::memory_grow(0, pages);
            (previous != usize::MAX)
                .then(|| previous.checked_mul(PAGE))
                .flatten()
        }
    }

    /// [`Heap`] over the module's memory, as the `#[global_allocator]`.
    pub struct WasmHeap(UnsafeCell<Heap<Memory>>);

    impl WasmHeap {
        pub const fn new() -> Self {
            WasmHeap(UnsafeCell::new(Heap::new(Memory)))
        }
    }

    impl Default for WasmHeap {
        fn default() -> Self {
            Self::new()
        }
    }

    // SAFETY: wasm32 without the atomics feature has one thread (checked above).
    unsafe impl Sync for WasmHeap {}

    // SAFETY: blocks are distinct, aligned as requested (the module's contract) and freed with
    // the layout they were allocated with; one thread, and no call re-enters the heap.
    unsafe impl GlobalAlloc for WasmHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: one thread; the heap owns every page it grew.
            let heap = unsafe { &mut *self.0.get() };
            unsafe { heap.alloc(layout.size(), layout.align()) }
                .map_or(core::ptr::null_mut(), |address| address as *mut u8)
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` came from `alloc` with this layout (GlobalAlloc's contract).
            let heap = unsafe { &mut *self.0.get() };
            unsafe { heap.free(ptr as usize, layout.size(), layout.align()) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let (old, new) = (
                super::class_of(layout.size(), layout.align()),
                super::class_of(new_size, layout.align()),
            );
            if old.is_some() && old == new {
                return ptr;
            }
            // SAFETY: `new_size` with the old alignment is a valid layout (GlobalAlloc's
            // contract); the copy is within both blocks.
            unsafe {
                let fresh = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !fresh.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                fresh
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages from one buffer, handed out in order; `gap` pages are skipped before each growth
    /// after the first (a growth that is not contiguous with the one before).
    struct Arena {
        buffer: Vec<u8>,
        base: usize,
        used: usize,
        gap: usize,
        grown: usize,
    }

    impl Arena {
        fn new(pages: usize, gap: usize) -> Self {
            let buffer = vec![0u8; (pages + 1) * PAGE];
            let base = (buffer.as_ptr() as usize).div_ceil(PAGE) * PAGE;
            Arena {
                buffer,
                base,
                used: 0,
                gap,
                grown: 0,
            }
        }
    }

    impl Grow for &mut Arena {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let skip = if self.grown > 0 { self.gap } else { 0 };
            let first = self.used + skip;
            let start = self.base + first * PAGE;
            if (first + pages + 1) * PAGE > self.buffer.len() {
                return None;
            }
            self.used = first + pages;
            self.grown += 1;
            Some(start)
        }
    }

    #[test]
    fn classes_cover_size_and_alignment() {
        assert_eq!(class_of(0, 1), Some(0));
        assert_eq!(class_of(16, 8), Some(0));
        assert_eq!(class_of(17, 1), Some(1));
        assert_eq!(class_of(1, 64), Some(2));
        assert_eq!(class_of(4096, 4096), Some(8));
        assert_eq!(class_of(1 << 31, 8), Some(CLASSES - 1));
        assert_eq!(class_of((1 << 31) + 1, 8), None);
        assert_eq!(class_of(8, 2 * PAGE), None);
        assert_eq!(class_size(0), 16);
    }

    /// Many requests of mixed sizes and alignments: each block is aligned, inside the arena,
    /// disjoint from every live block, keeps what was written to it, and freed blocks are reused.
    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let mut arena = Arena::new(512, 3);
        let (low, high) = (arena.base, arena.base + 512 * PAGE);
        let mut heap = Heap::new(&mut arena);
        let mut live: Vec<(usize, usize, usize, u8)> = Vec::new();
        let mut seed = 0x2545_f491_u32;
        for round in 0..4000u32 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            if seed % 2 == 0 && !live.is_empty() {
                let (address, size, align, fill) = live.swap_remove(seed as usize % live.len());
                let bytes = unsafe { core::slice::from_raw_parts(address as *const u8, size) };
                assert!(
                    bytes.iter().all(|&b| b == fill),
                    "block at {address:#x} was overwritten"
                );
                unsafe { heap.free(address, size, align) };
                continue;
            }
            let size = [1, 8, 16, 24, 100, 384, 1000, 5000, 70_000][seed as usize % 9];
            let align = [1, 4, 8, 16, 64, 4096][(seed >> 8) as usize % 6];
            let address = unsafe { heap.alloc(size, align) }.expect("the arena is large enough");
            assert_eq!(address % align, 0);
            assert!(address >= low && address + size <= high);
            for &(other, other_size, _, _) in &live {
                assert!(address + size <= other || other + other_size <= address);
            }
            let fill = round as u8;
            unsafe { core::ptr::write_bytes(address as *mut u8, fill, size) };
            live.push((address, size, align, fill));
        }
        let before = arena_pages(&heap);
        for (address, size, align, _) in live.drain(..) {
            unsafe { heap.free(address, size, align) };
        }
        // The same requests again fit in the memory already grown.
        for _ in 0..200 {
            let address = unsafe { heap.alloc(384, 8) }.expect("reused");
            unsafe { heap.free(address, 384, 8) };
        }
        assert_eq!(arena_pages(&heap), before);
    }

    fn arena_pages(heap: &Heap<&mut Arena>) -> usize {
        heap.grow.used
    }

    #[test]
    fn a_freed_block_is_the_next_of_its_class() {
        let mut arena = Arena::new(4, 0);
        let mut heap = Heap::new(&mut arena);
        let a = unsafe { heap.alloc(40, 8) }.expect("memory");
        let b = unsafe { heap.alloc(40, 8) }.expect("memory");
        assert_ne!(a, b);
        unsafe { heap.free(a, 40, 8) };
        assert_eq!(unsafe { heap.alloc(64, 1) }, Some(a));
    }

    /// The alignment gap before a large block is kept as smaller blocks: after a 16-byte block
    /// and a 4 KiB block, the next 16 … 2048-byte requests are served from the gap between them.
    #[test]
    fn the_alignment_gap_is_not_lost() {
        let mut arena = Arena::new(4, 0);
        let mut heap = Heap::new(&mut arena);
        let small = unsafe { heap.alloc(16, 16) }.expect("memory");
        let big = unsafe { heap.alloc(4096, 8) }.expect("memory");
        assert_eq!(big % 4096, 0);
        for size in [16, 32, 64, 128, 256, 512, 1024, 2048] {
            let block = unsafe { heap.alloc(size, 1) }.expect("memory");
            assert!(
                block > small && block + size <= big,
                "{size} B at {block:#x}"
            );
        }
    }

    #[test]
    fn no_memory_is_none() {
        let mut arena = Arena::new(2, 0);
        let mut heap = Heap::new(&mut arena);
        assert_eq!(unsafe { heap.alloc(4 * PAGE, 8) }, None);
        assert_eq!(unsafe { heap.alloc(8, 2 * PAGE) }, None);
        assert!(unsafe { heap.alloc(100, 8) }.is_some());
    }
}
