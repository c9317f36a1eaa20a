//! Projects and their members.

use super::{Connect, Stamp};
use byoc_core::access::ProjectRole;
use byoc_core::api::{Member, Project};
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub version: i64,
}

impl ProjectRow {
    pub fn to_api(&self, role: Option<ProjectRole>) -> Project {
        Project {
            id: self.id.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            created_at: self.created_at.time(),
            updated_at: self.updated_at.time(),
            version: self.version,
            role,
        }
    }
}

#[derive(Clone, Debug, FromRow)]
pub struct MemberRow {
    pub user_id: String,
    pub username: String,
    pub role: String,
    pub version: i64,
}

impl MemberRow {
    pub fn role(&self) -> Option<ProjectRole> {
        self.role.parse().ok()
    }

    pub fn to_api(&self) -> Option<Member> {
        Some(Member {
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            role: self.role()?,
            version: self.version,
        })
    }
}

const COLUMNS: &str = "id, name, description, created_at, updated_at, version";

pub async fn by_id(conn: &mut impl Connect, id: &str) -> Result<Option<ProjectRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM projects WHERE id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await
    })
}

/// The caller's standing in a project, and where its deployments list stands, in one statement
/// (every project route asks it first).
pub struct Standing {
    pub project: ProjectRow,
    pub role: Option<ProjectRole>,
    /// How many times the project's deployments changed and the database's epoch: the list's
    /// ETag (migration 0014's triggers count the changes; every start marks the epoch), read here
    /// so a list page needs no statement more.
    pub changes: i64,
    pub epoch: String,
}

/// The project `id` with `user_id`'s role in it (none for a non-member) and its list's change
/// count; `None` when there is no such project.
pub async fn standing(
    conn: &mut impl Connect,
    id: &str,
    user_id: &str,
) -> Result<Option<Standing>, sqlx::Error> {
    type Found = (
        String,
        String,
        String,
        Stamp,
        Stamp,
        i64,
        Option<String>,
        i64,
        String,
    );
    let found: Option<Found> = on!(conn, |conn| {
        sqlx::query_as(
            "SELECT p.id, p.name, p.description, p.created_at, p.updated_at, p.version,
                (SELECT role FROM project_members WHERE project_id = p.id AND user_id = $2),
                COALESCE((SELECT n FROM deployment_changes WHERE project_id = p.id), 0),
                COALESCE((SELECT value FROM settings WHERE key = 'epoch'), '')
             FROM projects p WHERE p.id = $1",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
    })?;
    Ok(found.map(|r| {
        let (project, role) = split((r.0, r.1, r.2, r.3, r.4, r.5, r.6));
        Standing {
            project,
            role: role.and_then(|r| r.parse().ok()),
            changes: r.7,
            epoch: r.8,
        }
    }))
}

pub async fn name_taken(
    conn: &mut impl Connect,
    name: &str,
    except_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE name = $1 AND id IS DISTINCT FROM $2)",
        )
        .bind(name)
        .bind(except_id)
        .fetch_one(conn)
        .await
    })
}

/// Projects with the user's role in each: every project (owners), or only those the user
/// belongs to.
pub async fn list(
    conn: &mut impl Connect,
    user_id: &str,
    only_member_of: bool,
) -> Result<Vec<(ProjectRow, Option<String>)>, sqlx::Error> {
    on!(conn, |conn| {
        let rows: Vec<Joined> = sqlx::query_as(
            "SELECT p.id, p.name, p.description, p.created_at, p.updated_at, p.version, m.role \
         FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $1 \
         WHERE NOT $2 OR m.user_id IS NOT NULL ORDER BY p.name",
        )
        .bind(user_id)
        .bind(only_member_of)
        .fetch_all(conn)
        .await?;
        Ok(rows.into_iter().map(split).collect())
    })
}

type Joined = (String, String, String, Stamp, Stamp, i64, Option<String>);

fn split(r: Joined) -> (ProjectRow, Option<String>) {
    (
        ProjectRow {
            id: r.0,
            name: r.1,
            description: r.2,
            created_at: r.3,
            updated_at: r.4,
            version: r.5,
        },
        r.6,
    )
}

pub async fn insert(
    conn: &mut impl Connect,
    name: &str,
    description: &str,
    now: &Stamp,
) -> Result<ProjectRow, sqlx::Error> {
    on!(conn, |conn| {
        let id = super::new_id();
        sqlx::query("INSERT INTO projects (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(&id)
        .bind(name)
        .bind(description)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        by_id(conn, &id).await?.ok_or(sqlx::Error::RowNotFound)
    })
}

pub async fn update(
    conn: &mut impl Connect,
    id: &str,
    name: Option<&str>,
    description: Option<&str>,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "UPDATE projects SET name = COALESCE($2, name), description = COALESCE($3, description), \
         updated_at = $4, version = version + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(description)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn delete(conn: &mut impl Connect, id: &str) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM projects WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

const MEMBER_COLUMNS: &str = "m.user_id, u.username, m.role, m.version";

pub async fn members(
    conn: &mut impl Connect,
    project_id: &str,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
            "SELECT {MEMBER_COLUMNS} FROM project_members m JOIN users u ON u.id = m.user_id \
         WHERE m.project_id = $1 ORDER BY u.username"
        ))
        .bind(project_id)
        .fetch_all(conn)
        .await
    })
}

pub async fn member(
    conn: &mut impl Connect,
    project_id: &str,
    user_id: &str,
) -> Result<Option<MemberRow>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(&format!(
            "SELECT {MEMBER_COLUMNS} FROM project_members m JOIN users u ON u.id = m.user_id \
         WHERE m.project_id = $1 AND m.user_id = $2"
        ))
        .bind(project_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
    })
}

/// Adds a member or changes their role (bumping the version).
pub async fn put_member(
    conn: &mut impl Connect,
    project_id: &str,
    user_id: &str,
    role: ProjectRole,
    now: &Stamp,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query(
        "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role, version = project_members.version + 1",
    )
    .bind(project_id)
    .bind(user_id)
    .bind(role.code())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn remove_member(
    conn: &mut impl Connect,
    project_id: &str,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2")
            .bind(project_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ())
    })
}

pub async fn memberships(
    conn: &mut impl Connect,
    user_id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_as(
        "SELECT p.id, p.name, m.role FROM project_members m JOIN projects p ON p.id = m.project_id \
         WHERE m.user_id = $1 ORDER BY p.name",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
    })
}

/// Projects where the user is an admin (whose audit entries they may read).
pub async fn admin_of(conn: &mut impl Connect, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    on!(conn, |conn| {
        sqlx::query_scalar(
            "SELECT project_id FROM project_members WHERE user_id = $1 AND role = 'admin'",
        )
        .bind(user_id)
        .fetch_all(conn)
        .await
    })
}
