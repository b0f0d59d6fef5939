//! The store's one publisher of changes. Every change a write makes is staged as the change
//! log keeps it, inside the write's transaction, and published to every subscriber once the
//! transaction has committed — exactly once each, in revision order, and never for a write
//! that was rolled back. No caller publishes by hand, so none can forget to.
//!
//! Subscribers are told after the store's write lock is released: one may read the store
//! (or write to it) in answer.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use crate::model::SessionChange;

thread_local! {
    /// The changes of the write under way on this thread (a write runs on one thread,
    /// holding the store's one write connection).
    static STAGED: RefCell<Vec<SessionChange>> = const { RefCell::new(Vec::new()) };
}

/// Stages `change` for publication when its write commits.
pub(crate) fn stage(change: &SessionChange) {
    STAGED.with(|staged| staged.borrow_mut().push(change.clone()));
}

/// The changes staged on this thread, taken (after a commit).
pub(crate) fn take_staged() -> Vec<SessionChange> {
    STAGED.with(|staged| std::mem::take(&mut *staged.borrow_mut()))
}

/// Forgets the changes staged on this thread (before a write, and after a rollback).
pub(crate) fn drop_staged() {
    STAGED.with(|staged| staged.borrow_mut().clear());
}

type Subscriber = Arc<dyn Fn(&SessionChange) + Send + Sync>;

/// Who is told every committed change.
#[derive(Default)]
pub(crate) struct Publisher {
    subscribers: Mutex<Vec<(u64, Subscriber)>>,
    next: AtomicU64,
}

impl Publisher {
    pub fn subscribe(self: &Arc<Self>, subscriber: Subscriber) -> Subscription {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).push((id, subscriber));
        Subscription { publisher: Arc::downgrade(self), id }
    }

    /// Tells every subscriber each of `changes`, in order.
    pub fn publish(&self, changes: &[SessionChange]) {
        if changes.is_empty() {
            return;
        }
        // A copy of the list: a subscriber may subscribe or leave while being told.
        let subscribers: Vec<Subscriber> =
            self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(_, s)| s.clone()).collect();
        for change in changes {
            for subscriber in &subscribers {
                subscriber(change);
            }
        }
    }

    fn unsubscribe(&self, id: u64) {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).retain(|(other, _)| *other != id);
    }
}

/// A subscription to the store's changes: told every committed change until dropped.
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
