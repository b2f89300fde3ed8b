//! Cart persistence in `localStorage` (SPEC §5). Storage that throws — disabled, full,
//! private mode, sandboxed frame — is reported once to the console and then left alone:
//! the cart goes on living in memory.

use crate::prelude::*;

use ::core::cell::Cell;

use super::{warn, window};

pub struct CartStore {
    key: String,
    warned: Cell<bool>,
    read_only: Cell<bool>,
}

impl CartStore {
    pub fn new(key: String) -> CartStore {
        CartStore {
            key,
            warned: Cell::new(false),
            read_only: Cell::new(false),
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        match window().local_storage() {
            Ok(Some(s)) => Some(s),
            _ => {
                self.warn_once("localStorage is not available; the cart is kept in memory only");
                None
            }
        }
    }

    pub fn load(&self) -> Option<String> {
        match self.storage()?.get_item(&self.key) {
            Ok(value) => value,
            Err(_) => {
                self.warn_once("localStorage could not be read; the cart is kept in memory only");
                None
            }
        }
    }

    /// The stored cart belongs to a newer widget (`reason` says so): from now on `save`
    /// does nothing, and the page keeps its cart in memory.
    pub fn leave_to_newer(&self, reason: &str) {
        self.warn_once(&cat!(reason, "; this page keeps its cart in memory"));
        self.read_only.set(true);
    }

    pub fn save(&self, json: &str) {
        if self.read_only.get() {
            return;
        }
        if let Some(s) = self.storage() {
            if s.set_item(&self.key, json).is_err() {
                self.warn_once(
                    "localStorage refused the cart (full or blocked); it is kept in memory only",
                );
            }
        }
    }

    pub fn warn_once(&self, message: &str) {
        if !self.warned.replace(true) {
            warn(message);
        }
    }
}
