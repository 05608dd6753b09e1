//! Work spread over the machine's cores with results kept in order:
//! `goalframe lint` checks its documents this way and writes their reports
//! in path order.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// An item whose work panicked, and what the panic said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

/// `f(item)`, or what it said if it panicked.
fn run<T, R>(f: &impl Fn(&T) -> R, item: &T) -> Result<R, Panicked> {
    catch_unwind(AssertUnwindSafe(|| f(item))).map_err(|p| {
        let said = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        Panicked(said)
    })
}

/// Applies `f` to every item on as many threads as there are cores and
/// hands the results to `consume` on the calling thread, in the items'
/// order, each as soon as it and those before it are done. When `consume`
/// breaks (the reader of the report went away), no further item starts.
///
/// The calling thread is one of the workers: it takes items like the
/// others and hands out the results that are ready between two of its own.
/// So there is one thread per core, and no thread sleeps and wakes for
/// each result (on a virtual machine, thousands of wake-ups cost more than
/// the work of a small file).
///
/// Every item gets a result: one whose work panicked (a bug) is handed on
/// as [`Panicked`] in its turn, so a caller can report it rather than
/// count it as done; the other items go on.
pub fn par_ordered<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    consume: impl FnMut(Result<R, Panicked>) -> ControlFlow<()>,
) {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut order = InOrder {
        waiting: BTreeMap::new(),
        turn: 0,
        stopped: false,
        consume,
    };
    if threads <= 1 {
        for (i, item) in items.iter().enumerate() {
            order.arrive(i, run(&f, item));
            if order.stopped {
                break;
            }
        }
        return;
    }
    let (send, receive) = std::sync::mpsc::channel::<(usize, Result<R, Panicked>)>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|_| {
                let send = send.clone();
                let (next, f) = (&next, &f);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if send.send((i, run(f, item))).is_err() {
                        break;
                    }
                })
            })
            .collect();
        drop(send);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            order.arrive(i, run(&f, item));
            while let Ok((i, r)) = receive.try_recv() {
                order.arrive(i, r);
            }
            if order.stopped {
                next.store(items.len(), Ordering::Relaxed);
                break;
            }
        }
        for (i, r) in receive {
            order.arrive(i, r);
            if order.stopped {
                next.store(items.len(), Ordering::Relaxed);
            }
        }
        order.finish();
        for w in workers {
            // Joined here, a panic is not re-raised by the scope.
            let _ = w.join();
        }
    });
}

/// Results that arrived before their turn, and where the turn is.
struct InOrder<R, C> {
    waiting: BTreeMap<usize, R>,
    turn: usize,
    stopped: bool,
    consume: C,
}

impl<R, C: FnMut(R) -> ControlFlow<()>> InOrder<R, C> {
    fn arrive(&mut self, i: usize, r: R) {
        if self.stopped {
            return;
        }
        if i != self.turn {
            self.waiting.insert(i, r);
            return;
        }
        let mut r = r;
        loop {
            self.turn += 1;
            if (self.consume)(r).is_break() {
                self.stopped = true;
                self.waiting.clear();
                return;
            }
            match self.waiting.remove(&self.turn) {
                Some(next) => r = next,
                None => return,
            }
        }
    }

    /// Hands out what is left behind a gap (an item whose worker panicked).
    fn finish(mut self) {
        if self.stopped {
            return;
        }
        for r in std::mem::take(&mut self.waiting).into_values() {
            if (self.consume)(r).is_break() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Uneven work, so results arrive out of order on several threads.
    fn work(i: &usize) -> usize {
        let mut x = *i as u64;
        for _ in 0..(i * 7919 % 20_000) {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        *i
    }

    #[test]
    fn results_come_in_the_items_order() {
        let items: Vec<usize> = (0..2_000).collect();
        let mut seen = Vec::new();
        par_ordered(&items, work, |r| {
            seen.push(r.expect("no panic"));
            ControlFlow::Continue(())
        });
        assert_eq!(seen, items);
    }

    #[test]
    fn a_break_stops_the_results_and_the_work() {
        let items: Vec<usize> = (0..5_000).collect();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        par_ordered(
            &items,
            |i| {
                started.fetch_add(1, Ordering::Relaxed);
                work(i)
            },
            |r| {
                let r = r.expect("no panic");
                seen.push(r);
                if r == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(seen, (0..=10).collect::<Vec<_>>());
        assert!(started.load(Ordering::Relaxed) < items.len());
    }

    #[test]
    fn a_panicking_item_is_handed_on_as_such_in_its_turn() {
        let items: Vec<usize> = (0..500).collect();
        let mut seen = Vec::new();
        // Quiet the expected panic messages.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        par_ordered(
            &items,
            |&i| {
                if i % 97 == 13 {
                    panic!("item {i}");
                }
                work(&i)
            },
            |r| {
                seen.push(r);
                ControlFlow::Continue(())
            },
        );
        std::panic::set_hook(hook);
        let want: Vec<Result<usize, Panicked>> = items
            .iter()
            .map(|&i| {
                if i % 97 == 13 {
                    Err(Panicked(format!("item {i}")))
                } else {
                    Ok(i)
                }
            })
            .collect();
        assert_eq!(seen, want);
    }
}
