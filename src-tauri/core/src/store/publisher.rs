//! The store's one publisher. Every change a write makes is staged as the change log keeps
//! it, inside the write's transaction; a write that changes the list of sessions (one
//! created, renamed, deleted, restored, removed for good) stages that too. Once the
//! transaction has committed, what it staged is queued, still under the write lock, and
//! told to every subscriber — exactly once each, in the order of the commits, and never for
//! a write that was rolled back. No caller publishes by hand, so none can forget to.
//!
//! Other programs' writes to the same file (the command line, a second Powermap) are found
//! by the store's watcher ([`super::Store::watch_other_programs`]) and published the same
//! way, through the same queue.
//!
//! Subscribers are told after the store's write lock is released: one may read the store,
//! or write to it (its write is told after the publication it answers).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use crate::model::SessionChange;

/// What the store tells its subscribers.
#[derive(Debug, Clone, PartialEq)]
pub enum Publication {
    /// A change to one session's contents, as the change log keeps it.
    Change(Box<SessionChange>),
    /// The list of sessions changed: one was created (new, imported, duplicated, a
    /// follow-up), renamed, deleted, restored or removed for good. Read the list anew.
    Sessions,
}

thread_local! {
    /// What the write under way on this thread will publish (a write runs on one thread,
    /// holding the store's one write connection).
    static STAGED: RefCell<Vec<Publication>> = const { RefCell::new(Vec::new()) };
}

/// Stages `change` for publication when its write commits.
pub(crate) fn stage(change: &SessionChange) {
    STAGED.with(|staged| staged.borrow_mut().push(Publication::Change(Box::new(change.clone()))));
}

/// Stages "the list of sessions changed" (once per write) for publication when its write
/// commits.
pub(crate) fn stage_sessions() {
    STAGED.with(|staged| {
        let mut staged = staged.borrow_mut();
        if !staged.contains(&Publication::Sessions) {
            staged.push(Publication::Sessions);
        }
    });
}

/// What was staged on this thread, taken (after a commit).
pub(crate) fn take_staged() -> Vec<Publication> {
    STAGED.with(|staged| std::mem::take(&mut *staged.borrow_mut()))
}

/// Forgets what was staged on this thread (before a write, and after a rollback).
pub(crate) fn drop_staged() {
    STAGED.with(|staged| staged.borrow_mut().clear());
}

type Subscriber = Arc<dyn Fn(&Publication) + Send + Sync>;

/// Who is told every committed change, and what waits to be told.
#[derive(Default)]
pub(crate) struct Publisher {
    subscribers: Mutex<Vec<(u64, Subscriber)>>,
    next: AtomicU64,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Publication>,
    /// Whether a thread is telling the subscribers now (it tells what is queued meanwhile).
    telling: bool,
}

impl Publisher {
    pub fn subscribe(self: &Arc<Self>, subscriber: Subscriber) -> Subscription {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).push((id, subscriber));
        Subscription { publisher: Arc::downgrade(self), id }
    }

    /// Queues what a commit made, in commit order: called under the store's write lock.
    pub fn enqueue(&self, publications: Vec<Publication>) {
        if !publications.is_empty() {
            self.queue.lock().unwrap_or_else(|p| p.into_inner()).waiting.extend(publications);
        }
    }

    /// Tells every subscriber what is queued, oldest first: called after the write lock is
    /// released. One thread tells at a time; another that finds it telling leaves its
    /// publications to it, so the order is the commits' whichever thread wrote.
    pub fn tell(&self) {
        {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            if queue.telling || queue.waiting.is_empty() {
                return;
            }
            queue.telling = true;
        }
        // A subscriber that panics must not leave the queue stuck "telling".
        struct Done<'a>(&'a Mutex<Queue>);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.lock().unwrap_or_else(|p| p.into_inner()).telling = false;
            }
        }
        let done = Done(&self.queue);
        loop {
            let next = {
                let mut queue = done.0.lock().unwrap_or_else(|p| p.into_inner());
                match queue.waiting.pop_front() {
                    Some(next) => next,
                    None => {
                        queue.telling = false;
                        std::mem::forget(done);
                        return;
                    }
                }
            };
            // A copy of the list: a subscriber may subscribe or leave while being told.
            let subscribers: Vec<Subscriber> =
                self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(_, s)| s.clone()).collect();
            for subscriber in &subscribers {
                subscriber(&next);
            }
        }
    }

    fn unsubscribe(&self, id: u64) {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).retain(|(other, _)| *other != id);
    }
}

/// A subscription to the store's publications: told every one until dropped.
pub struct Subscription {
    publisher: Weak<Publisher>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(publisher) = self.publisher.upgrade() {
            publisher.unsubscribe(self.id);
        }
    }
}
