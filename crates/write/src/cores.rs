//! Work spread over the run's threads: the commit's own steps (encoding the buffered part
//! files, editing staged files, reading signatures back) run after the workers are done, so a
//! core left idle there is wall time. Items are handed out one at a time as threads come free, so
//! one large file does not hold back a thread's share of small ones; results come back in the
//! items' order, so the outcome does not depend on which thread took what.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// `work` on each item, on up to `threads` threads; the results in the items' order, or the
/// error of the first item (in that order) that failed. Once an item fails, items not started
/// yet are left.
pub(crate) fn map<T, R, E, W>(items: Vec<T>, threads: usize, work: W) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    W: Fn(T) -> Result<R, E> + Sync,
{
    let count = items.len();
    let threads = threads.min(count);
    if threads <= 1 {
        return items.into_iter().map(work).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let failed = AtomicBool::new(false);
    let done: Vec<Vec<(usize, Result<R, E>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let next = queue.lock().expect("no thread panics holding it").next();
                        let Some((at, item)) = next else { break };
                        let result = work(item);
                        failed.fetch_or(result.is_err(), Ordering::Relaxed);
                        done.push((at, result));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a commit thread does not panic"))
            .collect()
    });
    let mut slots: Vec<Option<Result<R, E>>> = (0..count).map(|_| None).collect();
    for (at, result) in done.into_iter().flatten() {
        slots[at] = Some(result);
    }
    // An item left unstarted comes after a failed one: the failure is returned first.
    slots.into_iter().map_while(|slot| slot).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(items, 3, |n| Ok::<_, ()>(n * n)).unwrap();
        assert_eq!(squares, (0..1000).map(|n| n * n).collect::<Vec<u64>>());
    }

    #[test]
    fn the_first_failure_in_order_is_the_error() {
        let items: Vec<u32> = (0..200).collect();
        let result = map(items, 3, |n| if n % 50 == 7 { Err(n) } else { Ok(n) });
        assert_eq!(result, Err(7));
    }

    /// `--threads 1` keeps the commit on the writer's thread too.
    #[test]
    fn one_thread_works_every_item_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let items: Vec<u8> = (0..100).collect();
        let on = map(items, 1, |_| Ok::<_, ()>(std::thread::current().id())).unwrap();
        assert!(on.iter().all(|&id| id == caller));
    }

    #[test]
    fn no_items_no_results() {
        assert_eq!(map(Vec::<u8>::new(), 3, Ok::<_, ()>), Ok(vec![]));
    }
}
