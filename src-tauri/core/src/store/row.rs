//! One description of each stored table: a model struct (which serde writes into changes
//! and the interchange format, and ts-rs into the window's TypeScript type) is tied to its
//! table once, with [`stored_row!`] — its table's name and key, what history leaves alone,
//! whether the session orders its rows, how a view receives a row, and its fields, which
//! are its columns. From that description
//! come its reads, inserts and updates here, its history row images (`table.rs`, read from
//! the schema) and its rows in a change (`StoredRow::written`).
//!
//! Adding a column: the migration, the field in the model struct (the compiler then asks
//! for it in the table's `stored_row!`, which names every field), and the UI that shows it.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Row, Transaction};

use super::table::StoredTable;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::WrittenRow;

/// How one field is kept in its column.
pub(crate) trait Column: Sized {
    /// The field from column `index` of `row` (a row of `table`, named in errors).
    fn read(row: &Row<'_>, index: usize, table: &str) -> rusqlite::Result<Self>;
    /// The field as the column holds it.
    fn value(&self) -> Result<SqlValue>;
}

/// Fields SQLite holds as they are: text, numbers, yes or no, and nothing.
macro_rules! plain_columns {
    ($($kind:ty),+) => {$(
        impl Column for $kind {
            fn read(row: &Row<'_>, index: usize, _table: &str) -> rusqlite::Result<Self> {
                row.get(index)
            }
            fn value(&self) -> Result<SqlValue> {
                Ok(SqlValue::from(self.clone()))
            }
        }
    )+};
}

plain_columns!(String, Option<String>, i64, Option<i64>, f64, bool, u8);

/// Fields kept by name: an enum stored as the name its `as_str` gives and `parse` reads. A
/// name it does not know (a file edited by hand, or by a newer version) is an error naming
/// the row.
macro_rules! named_columns {
    ($($kind:ty),+) => {$(
        impl Column for $kind {
            fn read(row: &Row<'_>, index: usize, table: &str) -> rusqlite::Result<Self> {
                super::parse_column(row, index, table, <$kind>::parse)
            }
            fn value(&self) -> Result<SqlValue> {
                Ok(SqlValue::Text(self.as_str().to_string()))
            }
        }
    )+};
}

named_columns!(
    crate::model::Sector,
    crate::model::GridKind,
    crate::model::CommitmentStatus,
    crate::model::ReviewOutcome,
    crate::model::RelationshipKind
);

/// Fields kept as JSON text: a grid's labels.
impl Column for crate::model::GridLabels {
    fn read(row: &Row<'_>, index: usize, _table: &str) -> rusqlite::Result<Self> {
        let text: String = row.get(index)?;
        serde_json::from_str(&text)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
    }
    fn value(&self) -> Result<SqlValue> {
        serde_json::to_string(self)
            .map(SqlValue::Text)
            .map_err(|e| Error::internal(Said::new("error.internal.grid-labels-not-stored").text("detail", e)))
    }
}

/// Fields kept as a JSON list of text: a round's cards. A list edited by hand into
/// something else reads as empty; what in it is not text is left out.
impl Column for Vec<String> {
    fn read(row: &Row<'_>, index: usize, _table: &str) -> rusqlite::Result<Self> {
        let text: String = row.get(index)?;
        Ok(match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Array(items)) => {
                items.into_iter().filter_map(|item| item.as_str().map(str::to_string)).collect()
            }
            _ => Vec::new(),
        })
    }
    fn value(&self) -> Result<SqlValue> {
        serde_json::to_string(self)
            .map(SqlValue::Text)
            .map_err(|e| Error::internal(Said::new("error.internal.cards-not-recorded").text("detail", e)))
    }
}

/// A model struct tied to its table: see [`stored_row!`].
pub(crate) trait StoredRow: Sized {
    /// The table, its key and what history leaves alone.
    const TABLE: &'static StoredTable;
    /// The columns, in the order [`StoredRow::read`] reads them and [`StoredRow::values`]
    /// gives them: the struct's fields.
    const COLUMNS: &'static [&'static str];
    /// Whether the rows belong to a session (a `session_id` column) in an order of their
    /// own (a `seq` column): the order they were added, kept by undo.
    const IN_SESSION_ORDER: bool;
    /// The row from the first columns of `row`.
    fn read(row: &Row<'_>) -> rusqlite::Result<Self>;
    /// The row's values, column by column.
    fn values(&self) -> Result<Vec<SqlValue>>;
    /// The row as every view receives it, at its place `seq` in the session's order.
    fn written(self, seq: i64) -> WrittenRow;
}

/// Ties a model struct to its table, in the table's module: the table's name, its key
/// columns and those history leaves alone (`untracked`: they belong to the moment), whether
/// the session orders its rows, how a view receives a row, `tidied by` a function that
/// mends what a file edited by hand may hold (if the table needs one), and every field
/// (each is the column of the same name, or the one named after `as`, kept as its type's
/// [`Column`] says). Defines the
/// module's `TABLE` and the struct's [`StoredRow`]:
///
/// ```ignore
/// stored_row!(Organization in "organization" keyed by [id], in session order: true,
///     written as |row, seq| WrittenRow::Organization { row, seq },
///     { id, name, short_label, sector, directly_affected, notes, colour, identity, contact });
/// ```
macro_rules! stored_row {
    ($model:ident in $name:literal keyed by [$($key:ident),+] $(untracked [$($untracked:ident),*])?,
     in session order: $ordered:expr, written as $written:expr,
     $(tidied by $tidy:expr,)? { $($field:ident $(as $column:ident)?),+ $(,)? }) => {
        /// The table as history sees it: its name, its key, the columns it leaves alone.
        pub(super) const TABLE: $crate::store::table::StoredTable = $crate::store::table::StoredTable {
            name: $name,
            key: &[$(stringify!($key)),+],
            untracked: &[$($(stringify!($untracked)),*)?],
        };

        impl $crate::store::row::StoredRow for $model {
            const TABLE: &'static $crate::store::table::StoredTable = &TABLE;
            const COLUMNS: &'static [&'static str] = &[$($crate::store::row::column_name!($field $($column)?)),+];
            const IN_SESSION_ORDER: bool = $ordered;

            #[allow(unused_assignments)]
            fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                let mut at = 0usize;
                let read = Self {
                    $($field: {
                        let value = $crate::store::row::Column::read(row, at, Self::TABLE.name)?;
                        at += 1;
                        value
                    }),+
                };
                $(let read = $tidy(read);)?
                Ok(read)
            }

            fn values(&self) -> $crate::error::Result<Vec<rusqlite::types::Value>> {
                Ok(vec![$($crate::store::row::Column::value(&self.$field)?),+])
            }

            fn written(self, seq: i64) -> $crate::model::WrittenRow {
                let written: fn(Self, i64) -> $crate::model::WrittenRow = $written;
                written(self, seq)
            }
        }
    };
}
pub(crate) use stored_row;

/// A field's column: its own name, or the one `as` gives.
macro_rules! column_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $column:ident) => {
        stringify!($column)
    };
}
pub(crate) use column_name;

/// `"a, b, c"` for the columns of `T`.
fn column_list<T: StoredRow>() -> String {
    T::COLUMNS.join(", ")
}

/// The key's `WHERE` clause, for the key columns of `T` bound from `?1` on.
fn key_clause<T: StoredRow>() -> String {
    T::TABLE.key.iter().enumerate().map(|(n, c)| format!("{c} = ?{}", n + 1)).collect::<Vec<_>>().join(" AND ")
}

/// The rows of the session, in the order they were added.
pub(crate) fn list<T: StoredRow>(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<T>> {
    let mut statement = tx.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE session_id = ?1 ORDER BY seq, {}",
        column_list::<T>(),
        T::TABLE.name,
        // Rows added at once on two laptops sharing the campaign have the same place: their
        // keys order them the same way on both.
        T::TABLE.key.join(", ")
    ))?;
    let rows = statement.query_map([session_id], T::read)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The row whose key columns hold `key`, if there is one.
pub(crate) fn find<T: StoredRow>(tx: &Transaction<'_>, key: &[&str]) -> Result<Option<T>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {} FROM {} WHERE {}", column_list::<T>(), T::TABLE.name, key_clause::<T>()))?
        .query_row(rusqlite::params_from_iter(key), T::read)
        .optional()?)
}

/// The row whose key columns hold `key` with its session and its place in the session's
/// order, if there is one (for history and changes).
pub(crate) fn find_placed<T: StoredRow>(tx: &Transaction<'_>, key: &[&str]) -> Result<Option<(String, i64, T)>> {
    let n = T::COLUMNS.len();
    Ok(tx
        .prepare_cached(&format!(
            "SELECT {}, session_id, seq FROM {} WHERE {}",
            column_list::<T>(),
            T::TABLE.name,
            key_clause::<T>()
        ))?
        .query_row(rusqlite::params_from_iter(key), |row| Ok((row.get(n)?, row.get(n + 1)?, T::read(row)?)))
        .optional()?)
}

/// Columns whose empty value means the row's own id: a new card's or grid's `identity` (it
/// starts a line of its own through the campaign), a new session's `campaign`. An edit never
/// changes them.
const OWN_ID_WHEN_EMPTY: &[&str] = &["identity", "campaign"];

/// Inserts `row` (already checked) into the session, after the session's other rows of its
/// table (for a table in session order). See [`OWN_ID_WHEN_EMPTY`].
pub(crate) fn insert<T: StoredRow>(tx: &Transaction<'_>, session_id: &str, row: &T) -> Result<()> {
    let mut values = row.values()?;
    let placeholders: Vec<String> = T::COLUMNS
        .iter()
        .enumerate()
        .map(|(n, column)| match *column {
            own if OWN_ID_WHEN_EMPTY.contains(&own) => format!("coalesce(nullif(?{}, ''), ?1)", n + 1),
            _ => format!("?{}", n + 1),
        })
        .collect();
    let (columns, placeholders) = if T::IN_SESSION_ORDER {
        values.push(SqlValue::Text(session_id.to_string()));
        let at = values.len();
        (
            format!("{}, session_id, seq", column_list::<T>()),
            format!(
                "{}, ?{at}, (SELECT coalesce(max(seq), 0) + 1 FROM {} WHERE session_id = ?{at})",
                placeholders.join(", "),
                T::TABLE.name
            ),
        )
    } else {
        (column_list::<T>(), placeholders.join(", "))
    };
    tx.prepare_cached(&format!("INSERT INTO {} ({columns}) VALUES ({placeholders})", T::TABLE.name))?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Writes every column of `row` but its key (and those of [`OWN_ID_WHEN_EMPTY`]) over the
/// stored row with its key.
pub(crate) fn update<T: StoredRow>(tx: &Transaction<'_>, row: &T) -> Result<()> {
    let values = row.values()?;
    let mut bound = Vec::new();
    let mut sets = Vec::new();
    for (column, value) in T::COLUMNS.iter().zip(values.iter()) {
        if !T::TABLE.key.contains(column) && !OWN_ID_WHEN_EMPTY.contains(column) {
            bound.push(value.clone());
            sets.push(format!("{column} = ?{}", bound.len()));
        }
    }
    let mut conditions = Vec::new();
    for key in T::TABLE.key {
        // Every key column is a field of its table's description; a table described
        // otherwise is a mistake in this crate, said as such rather than a crash.
        let at = T::COLUMNS
            .iter()
            .position(|c| c == key)
            .ok_or_else(|| Error::internal(Said::new("error.internal.no-record").text("table", T::TABLE.name)))?;
        bound.push(values[at].clone());
        conditions.push(format!("{key} = ?{}", bound.len()));
    }
    tx.prepare_cached(&format!("UPDATE {} SET {} WHERE {}", T::TABLE.name, sets.join(", "), conditions.join(" AND ")))?
        .execute(rusqlite::params_from_iter(bound))?;
    Ok(())
}

/// Inserts `row`, or writes every column but its key over the stored row with its key (a
/// table whose rows have no order of their own: a card's place on a grid).
pub(crate) fn upsert<T: StoredRow>(tx: &Transaction<'_>, row: &T) -> Result<()> {
    let placeholders: Vec<String> = (1..=T::COLUMNS.len()).map(|n| format!("?{n}")).collect();
    let sets: Vec<String> =
        T::COLUMNS.iter().filter(|c| !T::TABLE.key.contains(c)).map(|c| format!("{c} = excluded.{c}")).collect();
    tx.prepare_cached(&format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        T::TABLE.name,
        column_list::<T>(),
        placeholders.join(", "),
        T::TABLE.key.join(", "),
        sets.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(row.values()?))?;
    Ok(())
}
