//! Column and constraint shorthands every migration uses, so tables read alike.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub fn ts(name: &str) -> ColumnDef {
    timestamp_with_time_zone(Alias::new(name))
}
pub fn ts_null(name: &str) -> ColumnDef {
    timestamp_with_time_zone_null(Alias::new(name))
}
pub fn s(name: &str, len: u32) -> ColumnDef {
    string_len(Alias::new(name), len)
}
pub fn s_null(name: &str, len: u32) -> ColumnDef {
    string_len_null(Alias::new(name), len)
}
pub fn id_null(name: &str) -> ColumnDef {
    big_integer_null(Alias::new(name))
}
pub fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}
pub fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("{}_{table}_{}", if unique { "ux" } else { "ix" }, cols.join("_"))).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}
pub fn int(name: &str) -> ColumnDef {
    integer(Alias::new(name))
}
pub fn int_null(name: &str) -> ColumnDef {
    integer_null(Alias::new(name))
}
pub fn id(name: &str) -> ColumnDef {
    big_integer(Alias::new(name))
}
pub fn big_null(name: &str) -> ColumnDef {
    big_integer_null(Alias::new(name))
}
pub fn txt(name: &str) -> ColumnDef {
    text(Alias::new(name))
}
pub fn txt_null(name: &str) -> ColumnDef {
    text_null(Alias::new(name))
}
pub fn flag(name: &str) -> ColumnDef {
    boolean(Alias::new(name))
}
pub fn real_null(name: &str) -> ColumnDef {
    double_null(Alias::new(name))
}
/// A table with the usual `id` primary key.
pub fn table(name: &str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).col(big_pk_auto(Alias::new("id"))).to_owned()
}
pub fn day(name: &str) -> ColumnDef {
    date(Alias::new(name))
}
pub fn day_null(name: &str) -> ColumnDef {
    date_null(Alias::new(name))
}
