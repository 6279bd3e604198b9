/* test-simulator-2026.c: the simulator speaks the December 2026 contract
 *
 * Coded error bodies (and message-only ones with legacy-errors), the 402s of
 * the account, Talking Photo's modes, limits, costs and presets, the account
 * with its subscription, a template that cannot be deleted and download links
 * near their end. Driven with a plain SoupSession (sim-test-http.h); the last
 * test runs `magic-hour-studio-cli simulator` itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sim-test-http.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static gint64
balance (Fixture *f)
{
  gint64 credits;

  g_object_get (f->sim, "credits", &credits, NULL);
  return credits;
}

/* Asserts an error answer with @code ("code" absent when NULL) and a message. */
static void
assert_coded (Reply      *reply,
              guint       status,
              const char *code)
{
  JsonObject *object;

  if (reply->status != status)
    g_error ("expected %u, got %u: %.*s", status, reply->status,
             reply->body != NULL ? (int) g_bytes_get_size (reply->body) : 0,
             reply->body != NULL ? (const char *) g_bytes_get_data (reply->body, NULL) : "");
  assert_error_reply (reply, status);
  object = reply_object (reply);
  if (code == NULL)
    g_assert_false (json_object_has_member (object, "code"));
  else
    g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), !=, "");
}

static const char *
message_of (Reply *reply)
{
  return json_object_get_string_member (reply_object (reply), "message");
}

/* A talking photo create with an uploaded photo and audio and @extra members
 * (JSON text after a comma, or ""). */
static Reply *
talking_photo (Fixture    *f,
               double      start,
               double      end,
               const char *extra)
{
  g_autofree char *image = upload (f, "image", "png", 10);
  g_autofree char *audio = upload (f, "audio", "wav", 10);
  char start_text[G_ASCII_DTOSTR_BUF_SIZE], end_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *json = g_strdup_printf (
    "{\"assets\":{\"image_file_path\":\"%s\",\"audio_file_path\":\"%s\"},"
    "\"start_seconds\":%s,\"end_seconds\":%s%s%s}", image, audio,
    g_ascii_dtostr (start_text, sizeof start_text, start),
    g_ascii_dtostr (end_text, sizeof end_text, end),
    *extra != '\0' ? "," : "", extra);

  return api (f, "POST", "/v1/ai-talking-photo", json);
}

static Reply *
lip_sync (Fixture    *f,
          const char *mode)
{
  g_autofree char *json = g_strdup_printf (
    "{\"assets\":{\"audio_file_path\":\"https://example.com/a.wav\",\"video_source\":\"youtube\","
    "\"youtube_url\":\"https://www.youtube.com/watch?v=x\"},\"start_seconds\":0,"
    "\"end_seconds\":1,\"style\":{\"generation_mode\":\"%s\"}}", mode);

  return api (f, "POST", "/v1/lip-sync", json);
}

static const char *
created_id (Reply *reply)
{
  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_get_string_member (reply_object (reply), "id");
}

static gint64
charged (Reply *reply)
{
  g_assert_cmpuint (reply->status, ==, 200);
  return json_object_get_int_member (reply_object (reply), "credits_charged");
}

/* ------------------------------------------------------------------------ */
/* Error bodies                                                             */

/* Every row of the contract's table, with the code, then without it. */
static void
test_error_rows (void)
{
  for (guint legacy = 0; legacy < 2; legacy++)
    {
      g_autoptr(Fixture) f = fixture_new ();
      g_autoptr(Reply) r400 = NULL, r401 = NULL, r402c = NULL, r402s = NULL, r402p = NULL;
      g_autoptr(Reply) r403 = NULL, r403f = NULL, r404 = NULL, r422 = NULL, r422d = NULL;
      g_autoptr(Reply) r429 = NULL, r500 = NULL, r502 = NULL, r503 = NULL, r405 = NULL;
      g_autoptr(Reply) urls = NULL;
      g_autofree char *id = NULL;
      g_autofree char *path = NULL;

      g_test_message ("legacy-errors: %s", legacy ? "yes" : "no");
      g_object_set (f->sim, "legacy-errors", (gboolean) legacy, NULL);

      /* 400: a bad field */
      r400 = api (f, "POST", "/v1/ai-headshot-generator", "{\"assets\":{}}");
      assert_coded (r400, 400, legacy ? NULL : "invalid_request");
      g_assert_nonnull (strstr (message_of (r400), "assets.image_file_path"));

      /* 401: no key */
      r401 = send_message (f, new_message (f, "GET", "/v1/account", NULL, NULL));
      assert_coded (r401, 401, legacy ? NULL : "unauthorized");

      /* 402 insufficient_credits: the balance is too low */
      g_object_set (f->sim, "credits", (gint64) 49, NULL);
      r402c = api (f, "POST", "/v1/ai-headshot-generator",
                   "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
      assert_coded (r402c, 402, legacy ? NULL : "insufficient_credits");
      g_object_set (f->sim, "credits", (gint64) 1000000, NULL);

      /* 402 subscription_required: only a fault says it */
      mh_simulator_add_status_fault (f->sim, MH_SIM_ENDPOINT_CREATE, 1, 402,
                                     "subscription_required", NULL);
      r402s = api (f, "POST", "/v1/ai-headshot-generator",
                   "{\"assets\":{\"image_file_path\":\"https://example.com/f.jpg\"}}");
      assert_coded (r402s, 402, legacy ? NULL : "subscription_required");

      /* 402 plan_upgrade_required: lip sync pro on the free plan */
      g_object_set (f->sim, "tier", "free", NULL);
      r402p = lip_sync (f, "pro");
      assert_coded (r402p, 402, legacy ? NULL : "plan_upgrade_required");
      g_object_set (f->sim, "tier", "creator", NULL);

      /* 403: object storage refuses a bad signature; a fault answers it too */
      urls = api (f, "POST", "/v1/files/upload-urls",
                  "{\"items\":[{\"type\":\"image\",\"extension\":\"png\"}]}");
      {
        JsonObject *item = json_array_get_object_element (
          json_object_get_array_member (reply_object (urls), "items"), 0);
        g_autofree char *url = g_strconcat (json_object_get_string_member (item, "upload_url"),
                                            "0", NULL);

        r403 = put_bytes (f, url, "x");
      }
      assert_coded (r403, 403, NULL);
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_STATUS, 1, 403, NULL);
      r403f = api (f, "POST", "/v1/ai-headshot-generator", "{}");
      assert_coded (r403f, 403, NULL);

      /* 404: no such project */
      r404 = get_project (f, "video", "cnosuchproject00000000000");
      assert_coded (r404, 404, legacy ? NULL : "not_found");

      /* 422: a file that was never uploaded; a template that cannot be deleted */
      r422 = api (f, "POST", "/v1/ai-headshot-generator",
                  "{\"assets\":{\"image_file_path\":\"api-assets/x/never.png\"}}");
      assert_coded (r422, 422, legacy ? NULL : "unprocessable_entity");
      g_assert_true (g_str_has_prefix (message_of (r422), "Unable to create"));
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_TEMPLATE, 1, 0, NULL);
      id = create_talking_photo (f);
      path = g_strdup_printf ("/v1/video-projects/%s", id);
      r422d = api (f, "DELETE", path, NULL);
      assert_coded (r422d, 422, legacy ? NULL : "unprocessable_entity");

      /* 429, 500, 502, 503 (only faults answer them) */
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 429, NULL);
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 500, NULL);
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 502, NULL);
      mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 503, NULL);
      r429 = api (f, "GET", "/v1/account", NULL);
      r500 = api (f, "GET", "/v1/account", NULL);
      r502 = api (f, "GET", "/v1/account", NULL);
      r503 = api (f, "GET", "/v1/account", NULL);
      assert_coded (r429, 429, NULL);
      assert_coded (r500, 500, legacy ? NULL : "internal_server_error");
      assert_coded (r502, 502, NULL);
      assert_coded (r503, 503, NULL);

      /* Outside the table: no code */
      r405 = api (f, "DELETE", "/v1/account", NULL);
      assert_coded (r405, 405, NULL);
    }
}

/* A status fault with a code, none, or a message, from its string form. */
static void
test_fault_status_code (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;

  g_assert_true (mh_simulator_add_fault_from_string (
    f->sim, "account:status:1:402:subscription_required", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status:1:402", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status:1:402:-", &error));
  g_assert_true (mh_simulator_add_fault_from_string (
    f->sim, "account:status:1:400:invalid_request:end_seconds: too big", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status:1:418:teapot",
                                                     &error));
  g_assert_no_error (error);
  g_assert_false (mh_simulator_add_fault_from_string (f->sim, "account:status:1:x:not_found",
                                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  r1 = api (f, "GET", "/v1/account", NULL);
  r2 = api (f, "GET", "/v1/account", NULL);
  r3 = api (f, "GET", "/v1/account", NULL);
  r4 = api (f, "GET", "/v1/account", NULL);
  r5 = api (f, "GET", "/v1/account", NULL);
  assert_coded (r1, 402, "subscription_required");
  assert_coded (r2, 402, "insufficient_credits");
  assert_coded (r3, 402, NULL);
  assert_coded (r4, 400, "invalid_request");
  g_assert_cmpstr (message_of (r4), ==, "end_seconds: too big");
  assert_coded (r5, 418, "teapot");

  /* legacy-errors drops a fault's code too */
  g_object_set (f->sim, "legacy-errors", TRUE, NULL);
  mh_simulator_add_status_fault (f->sim, MH_SIM_ENDPOINT_ACCOUNT, 1, 402,
                                 "plan_upgrade_required", "Upgrade");
  r6 = api (f, "GET", "/v1/account", NULL);
  assert_coded (r6, 402, NULL);
  g_assert_cmpstr (message_of (r6), ==, "Upgrade");
}

/* ------------------------------------------------------------------------ */
/* Credits and plans                                                        */

static void
test_credits (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) first = NULL, failing = NULL, too_dear = NULL, exact = NULL;
  g_autoptr(Reply) failed_project = NULL;
  guint projects;

  g_object_set (f->sim, "credits", (gint64) 1000, NULL);

  /* Debited per create, by what was charged */
  first = talking_photo (f, 0, 5, "");
  g_assert_cmpint (charged (first), ==, 240);
  g_assert_cmpint (balance (f), ==, 1000 - 240);

  /* Refunded when the render fails, once it has failed */
  mh_simulator_add_fault (f->sim, MH_SIM_ENDPOINT_CREATE, MH_SIM_FAULT_RENDER_ERROR, 1, 0,
                          "no_source_face");
  failing = talking_photo (f, 0, 2, "\"style\":{\"generation_mode\":\"prompted\"}");
  g_assert_cmpint (charged (failing), ==, 40);
  g_assert_cmpint (balance (f), ==, 1000 - 240 - 40);
  mh_simulator_finish_project_now (f->sim, created_id (failing));
  g_assert_cmpint (balance (f), ==, 1000 - 240);
  failed_project = get_project (f, "video", created_id (failing));
  g_assert_cmpstr (json_object_get_string_member (reply_object (failed_project), "status"), ==,
                   "error");
  g_assert_cmpint (json_object_get_int_member (reply_object (failed_project), "credits_charged"),
                   ==, 0);

  /* More than the balance (760): 402 insufficient_credits, nothing made or charged */
  projects = mh_simulator_count_projects (f->sim);
  too_dear = talking_photo (f, 0, 15.9, "");   /* ceil (763.2) = 764 */
  assert_coded (too_dear, 402, "insufficient_credits");
  g_assert_nonnull (strstr (message_of (too_dear), "764"));
  g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, projects);
  g_assert_cmpint (balance (f), ==, 760);

  /* Exactly the balance is enough */
  exact = talking_photo (f, 0, 38, "\"style\":{\"generation_mode\":\"prompted\"}");
  g_assert_cmpint (charged (exact), ==, 760);
  g_assert_cmpint (balance (f), ==, 0);
}

static void
test_plans (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  const char *tiers[] = { "creator", "pro", "business" };

  /* Free: pro needs the Creator plan; standard (no longer gated) and lite run */
  g_object_set (f->sim, "tier", "free", NULL);
  {
    g_autoptr(Reply) pro = lip_sync (f, "pro");
    g_autoptr(Reply) standard = lip_sync (f, "standard");
    g_autoptr(Reply) lite = lip_sync (f, "lite");

    assert_coded (pro, 402, "plan_upgrade_required");
    g_assert_cmpstr (message_of (pro), ==,
                     "The pro generation mode needs the Creator plan or higher");
    g_assert_cmpint (charged (standard), ==, 30);
    g_assert_cmpint (charged (lite), ==, 30);
    g_assert_cmpuint (mh_simulator_count_projects (f->sim), ==, 2);
  }

  /* Paid plans: pro runs, at 2 credits a frame */
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    {
      g_autoptr(Reply) pro = NULL;

      g_object_set (f->sim, "tier", tiers[i], NULL);
      pro = lip_sync (f, "pro");
      g_assert_cmpint (charged (pro), ==, 60);
    }

  /* A payment past due: served as a free account */
  g_object_set (f->sim, "tier", "pro", "past-due", TRUE, NULL);
  {
    g_autoptr(Reply) pro = lip_sync (f, "pro");

    assert_coded (pro, 402, "plan_upgrade_required");
  }
}

/* ------------------------------------------------------------------------ */
/* Talking Photo                                                            */

typedef struct
{
  const char *mode;      /* NULL: none sent (realistic) */
  double      limit;
} ModeLimit;

static void
test_talking_photo_limits (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  static const ModeLimit modes[] = {
    { NULL, 300 }, { "realistic", 300 }, { "pro", 300 }, { "stable", 300 },
    { "prompted", 60 }, { "standard", 60 }, { "expressive", 60 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *style = modes[i].mode != NULL ?
        g_strdup_printf ("\"style\":{\"generation_mode\":\"%s\"}", modes[i].mode) :
        g_strdup ("");
      g_autoptr(Reply) at = talking_photo (f, 0, modes[i].limit, style);
      g_autoptr(Reply) offset = talking_photo (f, 10, 10 + modes[i].limit, style);
      g_autoptr(Reply) over = talking_photo (f, 0, modes[i].limit + 0.1, style);
      g_autofree char *limit_text = g_strdup_printf ("at most %.0f seconds", modes[i].limit);

      g_test_message ("mode %s", modes[i].mode != NULL ? modes[i].mode : "(none)");
      g_assert_cmpuint (at->status, ==, 200);
      g_assert_cmpuint (offset->status, ==, 200);
      assert_coded (over, 422, "unprocessable_entity");
      g_assert_nonnull (strstr (message_of (over), limit_text));
    }
}

typedef struct
{
  const char *mode;
  double      seconds;
  gint64      credits;
} ModeCost;

static void
test_talking_photo_costs (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  static const ModeCost costs[] = {
    { NULL, 5, 240 }, { "realistic", 5, 240 }, { "pro", 1, 48 }, { "stable", 300, 14400 },
    { "prompted", 5, 100 }, { "standard", 60, 1200 }, { "expressive", 2.5, 50 },
    /* ceil (seconds * rate - 1e-9) */
    { "realistic", 0.1, 5 }, { "realistic", 1.01, 49 }, { "prompted", 0.1, 2 },
    { "prompted", 0.15, 3 }, { "prompted", 60, 1200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (costs); i++)
    {
      g_autofree char *style = costs[i].mode != NULL ?
        g_strdup_printf ("\"style\":{\"generation_mode\":\"%s\"}", costs[i].mode) :
        g_strdup ("");
      gint64 before = balance (f);
      g_autoptr(Reply) reply = talking_photo (f, 0, costs[i].seconds, style);
      g_autoptr(Reply) project = NULL;
      JsonObject *object = reply_object (reply);

      g_test_message ("%s %g s", costs[i].mode != NULL ? costs[i].mode : "(none)",
                      costs[i].seconds);
      g_assert_cmpint (charged (reply), ==, costs[i].credits);
      g_assert_cmpint (json_object_get_int_member (object, "estimated_frame_cost"), ==,
                       costs[i].credits);
      g_assert_cmpint (balance (f), ==, before - costs[i].credits);
      project = get_project (f, "video", created_id (reply));
      g_assert_cmpint (json_object_get_int_member (reply_object (project), "credits_charged"),
                       ==, costs[i].credits);
    }
}

typedef struct
{
  const char *tier;
  const char *extra;       /* members sent */
  const char *resolution;  /* decided; NULL: refused with 400 */
} ResolutionCase;

static void
test_talking_photo_resolution (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  static const ResolutionCase cases[] = {
    /* Defaults: 480p prompted, the plan's best realistic */
    { "creator", "", "720p" },
    { "pro", "\"style\":{\"generation_mode\":\"stable\"}", "720p" },
    { "business", "", "720p" },
    { "free", "", "480p" },
    { "creator", "\"style\":{\"generation_mode\":\"prompted\"}", "480p" },
    { "business", "\"style\":{\"generation_mode\":\"expressive\"}", "480p" },
    /* resolution */
    { "creator", "\"resolution\":\"480p\"", "480p" },
    { "creator", "\"resolution\":\"720p\",\"style\":{\"generation_mode\":\"prompted\"}", "720p" },
    { "free", "\"resolution\":\"720p\"", "480p" },
    /* max_resolution, mapped; ignored next to resolution */
    { "creator", "\"max_resolution\":1279", "480p" },
    { "creator", "\"max_resolution\":1280", "720p" },
    { "creator", "\"max_resolution\":1,\"style\":{\"generation_mode\":\"prompted\"}", "480p" },
    { "creator", "\"max_resolution\":4096,\"style\":{\"generation_mode\":\"prompted\"}", "720p" },
    { "creator", "\"resolution\":\"480p\",\"max_resolution\":1920", "480p" },
    { "creator", "\"resolution\":\"720p\",\"max_resolution\":640", "720p" },
    /* intensity 0.1-2 */
    { "creator", "\"style\":{\"generation_mode\":\"prompted\",\"intensity\":0.1}", "480p" },
    { "creator", "\"style\":{\"generation_mode\":\"prompted\",\"intensity\":2}", "480p" },
    /* Refused */
    { "creator", "\"resolution\":\"1080p\"", NULL },
    { "creator", "\"resolution\":\"720P\"", NULL },
    { "creator", "\"resolution\":720", NULL },
    { "creator", "\"resolution\":null", NULL },
    { "creator", "\"max_resolution\":0", NULL },
    { "creator", "\"max_resolution\":1280.5", NULL },
    { "creator", "\"style\":{\"intensity\":0.09}", NULL },
    { "creator", "\"style\":{\"intensity\":2.01}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = NULL;
      g_autoptr(Reply) project = NULL;

      g_test_message ("%s: {%s}", cases[i].tier, cases[i].extra);
      g_object_set (f->sim, "tier", cases[i].tier, NULL);
      reply = talking_photo (f, 0, 1, cases[i].extra);
      if (cases[i].resolution == NULL)
        {
          assert_coded (reply, 400, "invalid_request");
          continue;
        }

      g_assert_cmpstr (mh_simulator_get_project_resolution (f->sim, created_id (reply)), ==,
                       cases[i].resolution);
      project = get_project (f, "video", created_id (reply));
      g_assert_cmpstr (json_object_get_string_member (reply_object (project), "x_sim_resolution"),
                       ==, cases[i].resolution);
    }

  /* Other tools decide no preset */
  {
    g_autofree char *id = create_headshot (f);

    g_assert_null (mh_simulator_get_project_resolution (f->sim, id));
  }
}

/* ------------------------------------------------------------------------ */
/* The account                                                              */

static JsonObject *
subscription_of (Reply *reply)
{
  JsonNode *node = json_object_get_member (reply_object (reply), "subscription");

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_object (node);
}

static void
assert_subscription (JsonObject *sub,
                     const char *name,
                     const char *status)
{
  JsonObject *price;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (sub);
  g_assert_cmpstr (json_object_get_string_member (sub, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (sub, "status"), ==, status);
  price = json_object_get_object_member (sub, "price");
  g_assert_nonnull (price);
  g_assert_cmpint (json_object_get_int_member (price, "amount"), >, 0);
  g_assert_nonnull (json_object_get_string_member (price, "currency"));
  g_assert_true (json_object_get_null_member (sub, "discount"));
  g_assert_cmpstr (json_object_get_string_member (sub, "billing_interval"), ==, "month");
  end = g_date_time_new_from_iso8601 (json_object_get_string_member (sub, "current_period_end"),
                                      NULL);
  g_assert_nonnull (end);
  g_assert_cmpint (g_date_time_compare (end, now), >, 0);
  g_assert_false (json_object_get_boolean_member (sub, "cancel_at_period_end"));
}

static void
test_account (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(Reply) creator = NULL, free_ = NULL, business = NULL, past_due = NULL;
  g_autoptr(Reply) free_past_due = NULL, gone = NULL, gone_once = NULL, back = NULL;
  JsonObject *object;

  creator = api (f, "GET", "/v1/account", NULL);
  object = reply_object (creator);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), !=, "");
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "demo@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "tier"), ==, "creator");
  g_assert_cmpint (json_object_get_int_member (object, "credits"), ==, 1000000);
  assert_subscription (subscription_of (creator), "Creator", "active");

  g_object_set (f->sim, "tier", "free", "credits", (gint64) 100, NULL);
  free_ = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpstr (json_object_get_string_member (reply_object (free_), "tier"), ==, "free");
  g_assert_cmpint (json_object_get_int_member (reply_object (free_), "credits"), ==, 100);
  g_assert_null (subscription_of (free_));

  g_object_set (f->sim, "tier", "business", NULL);
  business = api (f, "GET", "/v1/account", NULL);
  assert_subscription (subscription_of (business), "Business", "active");

  /* past_due: the tier says free, the subscription says past_due */
  g_object_set (f->sim, "tier", "pro", "past-due", TRUE, NULL);
  past_due = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpstr (json_object_get_string_member (reply_object (past_due), "tier"), ==, "free");
  assert_subscription (subscription_of (past_due), "Pro", "past_due");
  g_object_set (f->sim, "tier", "free", NULL);
  free_past_due = api (f, "GET", "/v1/account", NULL);
  assert_subscription (subscription_of (free_past_due), "Creator", "past_due");

  /* An older server: 404, and a 404 once by a fault */
  g_object_set (f->sim, "no-account", TRUE, NULL);
  gone = api (f, "GET", "/v1/account", NULL);
  assert_coded (gone, 404, "not_found");
  g_object_set (f->sim, "no-account", FALSE, NULL);
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "account:status:1:404", NULL));
  gone_once = api (f, "GET", "/v1/account", NULL);
  assert_coded (gone_once, 404, "not_found");
  back = api (f, "GET", "/v1/account", NULL);
  g_assert_cmpuint (back->status, ==, 200);
}

/* ------------------------------------------------------------------------ */
/* DELETE of a template                                                     */

static void
test_delete_template (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *template = NULL;
  g_autofree char *plain_id = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *plain_path = NULL;
  g_autoptr(Reply) d1 = NULL, d2 = NULL, d3 = NULL, d4 = NULL, still = NULL, gone = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "create:template", &error));
  g_assert_no_error (error);
  template = create_talking_photo (f);
  plain_id = create_talking_photo (f);
  template_path = g_strdup_printf ("/v1/video-projects/%s", template);
  plain_path = g_strdup_printf ("/v1/video-projects/%s", plain_id);

  /* A template is kept, every time */
  d1 = api (f, "DELETE", template_path, NULL);
  assert_coded (d1, 422, "unprocessable_entity");
  g_assert_nonnull (strstr (message_of (d1), "is a template and cannot be deleted"));
  d2 = api (f, "DELETE", template_path, NULL);
  assert_coded (d2, 422, "unprocessable_entity");
  still = get_project (f, "video", template);
  g_assert_true (json_object_get_boolean_member (reply_object (still), "enabled"));

  /* delete:template refuses the next DELETE only */
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "delete:template", &error));
  d3 = api (f, "DELETE", plain_path, NULL);
  assert_coded (d3, 422, "unprocessable_entity");
  d4 = api (f, "DELETE", plain_path, NULL);
  g_assert_cmpuint (d4->status, ==, 204);
  gone = get_project (f, "video", plain_id);
  g_assert_false (json_object_get_boolean_member (reply_object (gone), "enabled"));
}

/* ------------------------------------------------------------------------ */
/* Download links near their end                                            */

static double
seconds_left (Reply *project)
{
  JsonArray *downloads = json_object_get_array_member (reply_object (project), "downloads");
  JsonObject *download = json_array_get_object_element (downloads, 0);
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonObject *single = json_object_get_object_member (reply_object (project), "download");

  /* The deprecated single download says the same */
  g_assert_cmpstr (json_object_get_string_member (single, "expires_at"), ==,
                   json_object_get_string_member (download, "expires_at"));
  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (download, "expires_at"),
                                          NULL);
  g_assert_nonnull (expires);

  return g_date_time_difference (expires, now) / (double) G_USEC_PER_SEC;
}

static void
test_expiring_link (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *id = create_talking_photo (f);
  g_autoptr(Reply) near = NULL, fresh = NULL, at_end = NULL, got = NULL, refused = NULL;
  g_autoptr(Reply) fresh_got = NULL;
  g_autoptr(GError) error = NULL;
  double left;

  mh_simulator_finish_project_now (f->sim, id);
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "project:expiring:1:30", &error));
  g_assert_true (mh_simulator_add_fault_from_string (f->sim, "project:expiring:1:0", &error));
  g_assert_no_error (error);

  /* 30 s left, and the link still works */
  near = get_project (f, "video", id);
  left = seconds_left (near);
  g_assert_cmpfloat (left, >, 25);
  g_assert_cmpfloat (left, <=, 31);
  got = plain (f, "GET", first_download_url (near));
  g_assert_cmpuint (got->status, ==, 200);

  /* A link at its end is refused as object storage does */
  at_end = get_project (f, "video", id);
  g_assert_cmpfloat (seconds_left (at_end), <=, 1);
  refused = plain (f, "GET", first_download_url (at_end));
  assert_coded (refused, 403, NULL);

  /* Then long-lived links again */
  fresh = get_project (f, "video", id);
  g_assert_cmpfloat (seconds_left (fresh), >, 86000);
  fresh_got = plain (f, "GET", first_download_url (fresh));
  g_assert_cmpuint (fresh_got->status, ==, 200);
  g_assert_cmpstr (first_download_url (fresh), !=, first_download_url (near));
}

/* ------------------------------------------------------------------------ */
/* The `simulator` command's switches                                       */

static void
got_line (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  char **line = user_data;
  GError *error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, &error);
  g_assert_no_error (error);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
waited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
test_cli_switches (void)
{
  const char *cli = g_getenv ("MH_CLI");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base_url = NULL;
  const char *path[] = { "/v1/account", "/v1/account", "/v1/lip-sync" };
  const char *method[] = { "GET", "GET", "POST" };
  guint expected[] = { 402, 404, 402 };
  gboolean exited = FALSE;

  if (cli == NULL)
    {
      g_test_skip ("MH_CLI is not set");
      return;
    }

  /* A bad plan is a usage error */
  {
    g_autoptr(GSubprocess) bad = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                   cli, "simulator", "--tier", "gold", NULL);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait (bad, NULL, &error));
    g_assert_true (g_subprocess_get_if_exited (bad));
    g_assert_cmpint (g_subprocess_get_exit_status (bad), !=, 0);
  }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, cli, "simulator", "--legacy-errors", "--no-account",
                              "--tier", "pro", "--past-due",
                              "--fault", "account:status:1:402:subscription_required", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, got_line, &base_url);
  while (base_url == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));

  /* The fault (its code left out), then the missing account, then lip sync
   * pro refused as on a free plan: all message-only. */
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    {
      g_autofree char *url = g_strconcat (base_url, path[i], NULL);
      SoupMessage *msg = soup_message_new (method[i], url);
      g_autoptr(Reply) reply = NULL;
      Fixture f = { NULL, session };

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    "Bearer " KEY);
      if (i == 2)
        {
          const char *body = "{\"assets\":{\"audio_file_path\":\"https://example.com/a.wav\","
                             "\"video_source\":\"youtube\",\"youtube_url\":\"https://y.be/x\"},"
                             "\"start_seconds\":0,\"end_seconds\":1,"
                             "\"style\":{\"generation_mode\":\"pro\"}}";
          g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      reply = send_message (&f, msg);
      assert_coded (reply, expected[i], NULL);
    }

  /* Stopped as Ctrl+C would */
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, waited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/simulator-2026/error-rows", test_error_rows);
  g_test_add_func ("/simulator-2026/fault-status-code", test_fault_status_code);
  g_test_add_func ("/simulator-2026/credits", test_credits);
  g_test_add_func ("/simulator-2026/plans", test_plans);
  g_test_add_func ("/simulator-2026/talking-photo/limits", test_talking_photo_limits);
  g_test_add_func ("/simulator-2026/talking-photo/costs", test_talking_photo_costs);
  g_test_add_func ("/simulator-2026/talking-photo/resolution", test_talking_photo_resolution);
  g_test_add_func ("/simulator-2026/account", test_account);
  g_test_add_func ("/simulator-2026/delete-template", test_delete_template);
  g_test_add_func ("/simulator-2026/expiring-link", test_expiring_link);
  g_test_add_func ("/simulator-2026/cli-switches", test_cli_switches);

  return g_test_run ();
}
