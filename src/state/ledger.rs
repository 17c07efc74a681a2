//! The task ledger: every task this browser created, kept in local storage under
//! [`LEDGER_KEY`]. Writes are synchronous and checked, so a task id is on disk before the page
//! says "submitted", and a full quota is reported instead of silently dropped. (The reactive
//! storage hooks write in a later effect and swallow failures, which is fine for settings but not
//! for billed tasks.)

use leptos::prelude::*;

use crate::domain::message::Bilingual;
use crate::domain::task::TaskRecord;

/// Storage key of the ledger (version 1).
pub const LEDGER_KEY: &str = "wan-studio.tasks.v1";
/// Where unreadable ledger text is kept aside.
pub const LEDGER_CORRUPT_KEY: &str = "wan-studio.tasks.v1.unreadable";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The reactive ledger.
#[derive(Clone, Copy)]
pub struct Ledger {
    tasks: RwSignal<Vec<TaskRecord>>,
    problem: RwSignal<Option<Bilingual>>,
}

impl Ledger {
    /// Loads the ledger; unreadable data is kept aside and reported, never fatal.
    pub fn load() -> Self {
        let mut problem = None;
        let tasks = match storage() {
            None => {
                problem = Some(Bilingual::new(
                    "This browser does not let the page use local storage (private mode or blocked), so tasks are not saved across reloads. Keep this tab open until your videos are done, or allow site data.",
                    "此浏览器不允许本页使用本地存储（隐私模式或被禁止），任务在刷新后不会保留。请在视频完成前保持此标签页打开，或允许本站存储数据。",
                ));
                Vec::new()
            }
            Some(s) => match s.get_item(LEDGER_KEY).ok().flatten() {
                None => Vec::new(),
                Some(raw) => match serde_json::from_str::<Vec<TaskRecord>>(&raw) {
                    Ok(tasks) => tasks,
                    Err(_) => {
                        let _ = s.set_item(LEDGER_CORRUPT_KEY, &raw);
                        problem = Some(Bilingual::new(
                            format!("The saved task list could not be read, so the page started with an empty one. The unreadable text is kept in local storage under \"{LEDGER_CORRUPT_KEY}\"."),
                            format!("无法读取已保存的任务列表，页面已使用空列表启动。无法读取的原文保存在本地存储的“{LEDGER_CORRUPT_KEY}”中。"),
                        ));
                        Vec::new()
                    }
                },
            },
        };
        Self {
            tasks: RwSignal::new(tasks),
            problem: RwSignal::new(problem),
        }
    }

    /// All tasks, oldest first.
    pub fn tasks(&self) -> Signal<Vec<TaskRecord>> {
        self.tasks.into()
    }

    /// A storage problem to show, if any.
    pub fn problem(&self) -> Signal<Option<Bilingual>> {
        self.problem.into()
    }

    /// One task by id (untracked).
    pub fn get_untracked(&self, id: &str) -> Option<TaskRecord> {
        self.tasks
            .with_untracked(|t| t.iter().find(|r| r.id == id).cloned())
    }

    /// Adds a task or replaces the one with the same id, writing storage first.
    pub fn upsert(&self, record: TaskRecord) {
        let mut next = self.tasks.get_untracked();
        match next.iter_mut().find(|r| r.id == record.id) {
            Some(slot) => *slot = record,
            None => next.push(record),
        }
        self.persist(&next);
        self.tasks.set(next);
    }

    /// Changes one task, writing storage first.
    pub fn update(&self, id: &str, f: impl FnOnce(&mut TaskRecord)) {
        let mut next = self.tasks.get_untracked();
        if let Some(r) = next.iter_mut().find(|r| r.id == id) {
            f(r);
            self.persist(&next);
            self.tasks.set(next);
        }
    }

    fn persist(&self, tasks: &[TaskRecord]) {
        let Some(s) = storage() else { return };
        let Ok(text) = serde_json::to_string(tasks) else {
            return;
        };
        match s.set_item(LEDGER_KEY, &text) {
            Ok(()) => {
                if self.problem.with_untracked(|p| p.as_ref().is_some_and(|p| p.en.starts_with("Saving"))) {
                    self.problem.set(None);
                }
            }
            Err(_) => self.problem.set(Some(Bilingual::new(
                "Saving the task list failed: browser storage is full or blocked. Your tasks stay on this page until it closes; free some site data, and copy the task ids you need.",
                "保存任务列表失败：浏览器存储已满或被禁止。任务在关闭页面前仍会显示；请清理部分网站数据，并复制需要的任务 ID。",
            ))),
        }
    }
}
