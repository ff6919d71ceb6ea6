//! The JSON API with bearer tokens, and its OpenAPI contract.

use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn tokens_are_created_in_the_ui_used_by_programs_and_revoked() {
    let app = TestApp::spawn().await;
    let c = app.login("jinsha").await;
    let r = app.post(&c, "/me/tokens", &[("name", "统计脚本")]).await;
    let page = r.text().await.unwrap();
    let start = page.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = page[start..start + page[start..].find('<').unwrap()].to_string();
    assert!(token.starts_with("kx_"));

    let api = app.client();
    let r = api.get(app.url("/api/v1/orgs?kind=grassroots&per_page=200")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items.iter().all(|o| o["region_name"].as_str().unwrap().starts_with("金沙街道")),
        "scope applies to the API"
    );
    assert!(items.iter().filter_map(|o| o["contact_phone"].as_str()).all(|p| p.contains("****")));
    let me: Value = api.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["role"], "town_officer");

    let token_id =
        app.store.tokens(app.store.account_by_username("jinsha").await.unwrap().unwrap().id).await.unwrap()[0].id;
    assert_eq!(app.post(&c, &format!("/tokens/{token_id}/revoke"), &[]).await.status(), 303);
    let r = api.get(app.url("/api/v1/orgs")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"], "login_required");
    app.cleanup().await;
}

#[tokio::test]
async fn the_api_creates_updates_and_reports_errors_as_json() {
    let app = TestApp::spawn().await;
    let token = app.token_for("staff").await;
    let api = app.client();
    let r = api
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "code": "XX-9001", "name": "南通市通州区实验小学", "kind": "school", "region_id": 2, "established_on": "1952-09-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = api
        .put(app.url(&format!("/api/v1/orgs/{id}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "code": "XX-9001", "name": "南通市通州区实验小学（金沙校区）", "kind": "school", "region_id": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "南通市通州区实验小学（金沙校区）");
    // Field errors with codes and sentences.
    let r = api
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "code": "XX 9002", "name": "", "kind": "school", "region_id": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["code", "name"]);
    assert_eq!(e["fields"][1]["message"], "此项为必填");
    // Malformed JSON, wrong permissions, unknown records.
    let r = api
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "malformed_json");
    let citizen = app.token_for("citizen").await;
    assert_eq!(api.get(app.url("/api/v1/orgs")).bearer_auth(&citizen).send().await.unwrap().status(), 403);
    assert_eq!(api.get(app.url("/api/v1/orgs/999999")).bearer_auth(&token).send().await.unwrap().status(), 404);
    assert_eq!(api.get(app.url("/api/v1/orgs")).send().await.unwrap().status(), 401);
    app.cleanup().await;
}

/// The API contract: a change to the document must update this snapshot on purpose.
#[tokio::test]
async fn openapi_document_matches_the_snapshot() {
    let app = TestApp::builder().empty().spawn().await;
    let c = app.client();
    let mut doc: Value = c.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    // The crate version changes with every release; the contract does not.
    doc["info"]["version"] = Value::from("[version]");
    insta::assert_json_snapshot!("openapi", doc);
    let (s, page) = app.get_text(&c, "/api/docs").await;
    assert_eq!(s, 200);
    assert!(page.contains("/api/v1/orgs") && page.contains("OrgOut"));
    app.cleanup().await;
}

/// Every JSON API route of the table is documented, with the errors its permission and its
/// inputs make possible, each with the error body's schema.
#[tokio::test]
async fn every_api_route_documents_the_errors_it_can_answer() {
    use kexie_core::account::Need;
    let app = TestApp::builder().empty().spawn().await;
    let doc: Value = app.client().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let api_routes: Vec<_> =
        kexie_web::routes::catalog().into_iter().filter(|r| r.path.starts_with("/api/v1/")).collect();
    assert!(api_routes.len() >= 20);
    for r in api_routes {
        let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
        assert!(op.is_object(), "{} {} is not documented", r.method, r.path);
        let has_input = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"))
            || op.get("requestBody").is_some();
        let mut expected = vec!["401"];
        if matches!(r.need, Need::Perm(..)) {
            expected.push("403");
        }
        if r.path.contains('{') {
            expected.push("404");
        }
        if has_input {
            expected.extend(["400", "422"]);
        }
        for status in expected {
            let schema = &op["responses"][status]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/ErrorOut", "{} {} lacks {status}", r.method, r.path);
        }
    }
    app.cleanup().await;
}

/// Paging is checked against the documented bounds: far pages are empty, not refused; sizes
/// beyond the maximum are refused with the field, not silently clamped.
#[tokio::test]
async fn api_paging_follows_its_documented_bounds() {
    let app = TestApp::spawn().await;
    let token = app.token_for("staff").await;
    let api = app.client();
    let get = |path: &str| api.get(app.url(path)).bearer_auth(&token).send();
    for list in ["/api/v1/orgs", "/api/v1/people", "/api/v1/needs", "/api/v1/experts"] {
        let r = get(&format!("{list}?page=10144&per_page=200")).await.unwrap();
        assert_eq!(r.status(), 200, "{list}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["items"].as_array().map(Vec::len), Some(0), "{list}");
        assert_eq!((body["page"].as_u64(), body["per_page"].as_u64()), (Some(10144), Some(200)));
        for bad in ["per_page=201", "per_page=0", "page=0", "page=1000001"] {
            let r = get(&format!("{list}?{bad}")).await.unwrap();
            assert_eq!(r.status(), 422, "{list}?{bad}");
            let e: Value = r.json().await.unwrap();
            assert_eq!(e["fields"][0]["code"], "out_of_range", "{list}?{bad}");
            assert_eq!(e["fields"][0]["field"], bad.split('=').next().unwrap());
        }
        assert_eq!(get(&format!("{list}?per_page=abc")).await.unwrap().status(), 400);
    }
    let r = get("/api/v1/search?q=农业&limit=101").await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(get("/api/v1/needs/1/experts?limit=0").await.unwrap().status(), 422);
    // A value outside a documented set is refused, even an empty one.
    assert_eq!(get("/api/v1/orgs?kind=").await.unwrap().status(), 400);
    assert_eq!(get("/api/v1/orgs?status=deleted").await.unwrap().status(), 400);
    app.cleanup().await;
}

/// JSON has one number type: `2.0` is the integer 2, as the document's schema counts it.
#[tokio::test]
async fn whole_numbers_written_as_decimals_are_integers() {
    let app = TestApp::spawn().await;
    let token = app.token_for("staff").await;
    let body = serde_json::json!({ "code": "XX-9101", "name": "南通市通州区第二实验小学", "kind": "school", "region_id": 2.0 });
    let r = app.client().post(app.url("/api/v1/orgs")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let org: Value = app
        .client()
        .get(app.url(&format!("/api/v1/orgs/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(org["region_id"], 2);
    let half = serde_json::json!({ "code": "XX-9102", "name": "南通市通州区第三实验小学", "kind": "school", "region_id": 2.5 });
    let r = app.client().post(app.url("/api/v1/orgs")).bearer_auth(&token).json(&half).send().await.unwrap();
    assert_eq!(r.status(), 400);
    app.cleanup().await;
}
