/* test-preferences.c: the preferences window against the simulator
 *
 * The key is checked by the simulator, stored in libsecret's file backend
 * (SECRET_BACKEND=file in the test environment) and handed to the app; a
 * refused key never reaches the keyring; the API address accepts https://
 * and loopback http:// only. Assertions are about what a person sees: the
 * status row's text and icon, which rows can be used, and what is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "mh-app-resources.h"
#include "mh-app-test-util.h"
#include "mh-application.h"
#include "mh-keyring.h"
#include "mh-preferences-window.h"
#include "mh-test-util.h"

#define STORED_KEY "mhk_previous_key_456"

typedef enum
{
  ENV_NONE,
  ENV_KEY,
  ENV_BASE_URL,
} EnvOverride;

typedef struct
{
  MhTestFixture  base;
  MhApplication *app;
  GtkWidget     *window;
} Fixture;

/* ---- Finding what a person sees ------------------------------------------ */

static GtkWidget *
get_widget (Fixture    *f,
            const char *name)
{
  GtkWidget *widget = mh_app_test_find_named (f->window, name);

  if (widget == NULL)
    g_error ("No widget named “%s” in the preferences window", name);
  return widget;
}

static const char *
row_title (Fixture    *f,
           const char *name)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (get_widget (f, name)));
}

/* Visible and every ancestor visible: on screen. */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

/* ---- Keyring -------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *key;
  GError   *error;
} KeyringResult;

static void
keyring_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KeyringResult *r = user_data;
  GTask *task = G_TASK (result);

  if (g_task_get_source_tag (task) == mh_keyring_lookup_async)
    r->key = mh_keyring_lookup_finish (result, &r->error);
  else if (g_task_get_source_tag (task) == mh_keyring_store_async)
    mh_keyring_store_finish (result, &r->error);
  else
    mh_keyring_clear_finish (result, &r->error);
  r->done = TRUE;
}

static char *
keyring_lookup (void)
{
  KeyringResult r = { 0 };

  mh_keyring_lookup_async (NULL, keyring_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the keyring lookup");
  g_assert_no_error (r.error);
  return r.key;
}

static void
keyring_store (const char *key)
{
  KeyringResult r = { 0 };

  mh_keyring_store_async (key, NULL, keyring_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the keyring store");
  g_assert_no_error (r.error);
}

static void
keyring_clear (void)
{
  KeyringResult r = { 0 };

  mh_keyring_clear_async (NULL, keyring_cb, &r);
  mh_test_wait_for_flag (&r.done, MH_TEST_TIMEOUT, "the keyring clear");
  g_assert_no_error (r.error);
}

static void
assert_keyring_holds (const char *expected)
{
  char *key = keyring_lookup ();

  g_assert_cmpstr (key, ==, expected);
  mh_keyring_free_key (key);
}

/* ---- Waiting -------------------------------------------------------------- */

/* The key status row shows an outcome, not the spinner. */
static gboolean
key_status_settled (gpointer user_data)
{
  Fixture *f = user_data;

  return is_shown (get_widget (f, "key-status-row")) &&
         !gtk_widget_get_visible (get_widget (f, "key-spinner"));
}

static void
wait_key_status (Fixture *f)
{
  mh_test_wait_for (key_status_settled, f, MH_TEST_TIMEOUT, "the key status");
}

static gboolean
window_gone (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* Nothing holds the window once it is closed, even with work under way. */
static void
close_window (Fixture *f)
{
  gpointer window = f->window;

  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  mh_test_wait_for (window_gone, &window, MH_TEST_TIMEOUT, "the window to be finalized");
}

/* ---- Fixture -------------------------------------------------------------- */

static void
reset_settings (GSettings *settings)
{
  g_settings_reset (settings, "output-folder-video");
  g_settings_reset (settings, "output-folder-image");
  g_settings_reset (settings, "api-base-url");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  EnvOverride env = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  mh_test_fixture_setup (&f->base, data);
  g_object_set (f->base.sim, "credits", (gint64) 1234, NULL);
  keyring_clear ();

  if (env == ENV_KEY)
    g_setenv ("MAGIC_HOUR_API_KEY", "mhk_from_the_environment", TRUE);
  else if (env == ENV_BASE_URL)
    g_setenv ("MAGIC_HOUR_API_BASE_URL", mh_simulator_get_base_url (f->base.sim), TRUE);

  f->app = mh_application_new ();
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);

  /* The simulator is the API. */
  settings = mh_application_get_settings (f->app);
  reset_settings (settings);
  g_settings_set_string (settings, "api-base-url", mh_simulator_get_base_url (f->base.sim));
  mh_application_reload_client (f->app);

  f->window = mh_preferences_window_new (f->app);
  gtk_window_present (GTK_WINDOW (f->window));
  /* The window asks the keyring whether a key is stored. */
  wait_key_status (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);

  reset_settings (mh_application_get_settings (f->app));
  g_clear_object (&f->app);
  keyring_clear ();
  g_setenv ("MAGIC_HOUR_API_KEY", "", TRUE);
  g_setenv ("MAGIC_HOUR_API_BASE_URL", "", TRUE);

  mh_test_fixture_teardown (&f->base, data);
}

static GtkWidget *
find_text (GtkWidget *root)
{
  if (GTK_IS_TEXT (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* As a person does it: type into the row and press Enter, which applies
 * (the row's apply button shows once the text was edited). */
static void
type_and_enter (Fixture    *f,
                const char *name,
                const char *text)
{
  GtkWidget *row = get_widget (f, name);
  GtkWidget *entry = find_text (row);

  g_assert_nonnull (entry);
  gtk_widget_grab_focus (row);
  g_assert_true (gtk_widget_has_focus (entry));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (entry, "activate");
}

static void
apply_key (Fixture    *f,
           const char *text)
{
  type_and_enter (f, "key-row", text);
}

static void
apply_address (Fixture    *f,
               const char *text)
{
  type_and_enter (f, "address-row", text);
}

static void
assert_status_icon (Fixture    *f,
                    const char *name,
                    const char *icon_name,
                    const char *css_class)
{
  GtkWidget *icon = get_widget (f, name);

  g_assert_true (is_shown (icon));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, icon_name);
  g_assert_true (gtk_widget_has_css_class (icon, css_class));
}

/* ---- The API key ---------------------------------------------------------- */

static void
test_key_initial (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_true (gtk_widget_get_sensitive (get_widget (f, "key-row")));
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "No key is saved yet.");
  g_assert_false (is_shown (get_widget (f, "remove-key-button")));
  g_assert_true (is_shown (get_widget (f, "create-key-row")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (get_widget (f, "create-key-row")), ==,
                   "https://magichour.ai/developer");
}

static void
test_key_accepted (Fixture       *f,
                   gconstpointer  data)
{
  MhSimRequest *request;

  g_assert_false (mh_application_get_has_key (f->app));

  apply_key (f, "  " MH_TEST_KEY "\n");

  /* Checking: the entry waits, a spinner turns. */
  g_assert_false (gtk_widget_get_sensitive (get_widget (f, "key-row")));
  g_assert_true (is_shown (get_widget (f, "key-spinner")));
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Checking the key…");

  wait_key_status (f);

  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted · 1234 credits");
  assert_status_icon (f, "key-status-icon", "emblem-ok-symbolic", "success");
  g_assert_true (gtk_widget_get_sensitive (get_widget (f, "key-row")));
  /* The key is not left in the entry. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_widget (f, "key-row"))), ==, "");
  g_assert_true (is_shown (get_widget (f, "remove-key-button")));

  /* One account request with the trimmed key, to the configured address. */
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
  request = mh_test_request (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer " MH_TEST_KEY);

  assert_keyring_holds (MH_TEST_KEY);
  g_assert_true (mh_application_get_has_key (f->app));
  g_assert_true (mh_client_has_api_key (mh_application_get_client (f->app)));
}

static void
test_key_refused (Fixture       *f,
                  gconstpointer  data)
{
  keyring_store (STORED_KEY);
  mh_simulator_set_required_key (f->base.sim, "mhk_the_only_good_key");

  apply_key (f, "mhk_a_wrong_key");
  wait_key_status (f);

  g_assert_cmpstr (row_title (f, "key-status-row"), ==,
                   "This key was not accepted. Check it, or create a new one in Magic Hour's Developer Hub.");
  assert_status_icon (f, "key-status-icon", "dialog-warning-symbolic", "error");
  /* Left to be corrected, and nothing stored. */
  g_assert_true (gtk_widget_get_sensitive (get_widget (f, "key-row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_widget (f, "key-row"))), ==,
                   "mhk_a_wrong_key");
  assert_keyring_holds (STORED_KEY);
  g_assert_false (mh_application_get_has_key (f->app));
}

static void
test_key_empty (Fixture       *f,
                gconstpointer  data)
{
  guint before = mh_simulator_count_requests (f->base.sim, NULL);

  apply_key (f, "  \t ");

  /* Said at once, and nothing sent. */
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Enter a key");
  assert_status_icon (f, "key-status-icon", "dialog-warning-symbolic", "error");
  g_assert_true (gtk_widget_get_sensitive (get_widget (f, "key-row")));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, NULL), ==, before);
  assert_keyring_holds (NULL);
}

static void
test_key_server_error (Fixture       *f,
                       gconstpointer  data)
{
  const char *title;

  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 10, 503, NULL);

  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);

  /* The engine's sentence, and nothing stored. */
  title = row_title (f, "key-status-row");
  g_test_message ("Status: %s", title);
  g_assert_cmpstr (title, !=, "");
  g_assert_null (strstr (title, "accepted"));
  g_assert_null (strstr (title, MH_TEST_KEY));
  assert_status_icon (f, "key-status-icon", "dialog-warning-symbolic", "error");
  assert_keyring_holds (NULL);
  g_assert_false (mh_application_get_has_key (f->app));
}

static void
test_key_older_api (Fixture       *f,
                    gconstpointer  data)
{
  /* An API without /v1/account: the key is stored unchecked. */
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_STATUS, 1, 404, NULL);

  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);

  g_assert_cmpstr (row_title (f, "key-status-row"), ==,
                   "Key saved; it will be checked with the first job");
  assert_status_icon (f, "key-status-icon", "emblem-ok-symbolic", "success");
  assert_keyring_holds (MH_TEST_KEY);
  g_assert_true (mh_application_get_has_key (f->app));
}

static void
test_key_close_while_checking (Fixture       *f,
                               gconstpointer  data)
{
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 5000, NULL);

  apply_key (f, MH_TEST_KEY);
  g_assert_true (is_shown (get_widget (f, "key-spinner")));
  close_window (f);

  /* The check was given up: nothing stored, nothing used. */
  assert_keyring_holds (NULL);
  g_assert_false (mh_application_get_has_key (f->app));
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (GTK_WINDOW (window)) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
test_key_remove (Fixture       *f,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;

  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);
  assert_keyring_holds (MH_TEST_KEY);

  /* Cancel keeps it. */
  g_signal_emit_by_name (get_widget (f, "remove-key-button"), "clicked");
  dialog = find_message_dialog (GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Remove the API key from the keyring?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  assert_keyring_holds (MH_TEST_KEY);

  /* Remove clears the keyring and the app's key. */
  g_signal_emit_by_name (get_widget (f, "remove-key-button"), "clicked");
  dialog = find_message_dialog (GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));

  mh_test_wait_for (key_status_settled, f, MH_TEST_TIMEOUT, "the removal");
  while (g_strcmp0 (row_title (f, "key-status-row"), "The key was removed from the keyring.") != 0)
    g_main_context_iteration (NULL, TRUE);

  assert_keyring_holds (NULL);
  g_assert_false (mh_application_get_has_key (f->app));
  g_assert_false (is_shown (get_widget (f, "remove-key-button")));
}

static void
test_key_from_env (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *row = get_widget (f, "key-row");

  g_assert_true (mh_application_key_from_env (f->app));
  g_assert_false (gtk_widget_get_sensitive (row));
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Set by MAGIC_HOUR_API_KEY in the environment");
  g_assert_false (is_shown (get_widget (f, "remove-key-button")));
  /* The environment's key is never shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  /* Applying does nothing either. */
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, NULL), ==, 0);
  assert_keyring_holds (NULL);
}

/* ---- The API address ------------------------------------------------------ */

static const char *
address_setting (Fixture *f)
{
  static char *value;

  g_free (value);
  value = g_settings_get_string (mh_application_get_settings (f->app), "api-base-url");
  return value;
}

static void
assert_address_refused (Fixture    *f,
                        const char *text,
                        const char *reason_part)
{
  g_autofree char *before = g_strdup (address_setting (f));
  const char *title;

  apply_address (f, text);
  title = row_title (f, "address-status-row");
  g_test_message ("%s: %s", text, title);
  g_assert_true (is_shown (get_widget (f, "address-status-row")));
  g_assert_nonnull (strstr (title, reason_part));
  assert_status_icon (f, "address-status-icon", "dialog-warning-symbolic", "error");
  g_assert_cmpstr (address_setting (f), ==, before);
}

static void
assert_address_accepted (Fixture    *f,
                         const char *text,
                         const char *stored,
                         const char *used)
{
  g_autofree char *expected = g_strdup_printf ("Jobs are sent to %s", used);
  MhClient *client;

  apply_address (f, text);
  g_assert_cmpstr (address_setting (f), ==, stored);
  client = mh_application_get_client (f->app);
  g_assert_cmpstr (mh_client_get_base_url (client), ==, used);
  g_assert_cmpstr (row_title (f, "address-status-row"), ==, expected);
  assert_status_icon (f, "address-status-icon", "emblem-ok-symbolic", "success");
}

static void
test_address (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *row = get_widget (f, "address-row");

  /* The row shows the setting, and says nothing until something is done. */
  g_assert_true (gtk_widget_get_sensitive (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==,
                   mh_simulator_get_base_url (f->base.sim));
  g_assert_false (is_shown (get_widget (f, "address-status-row")));

  assert_address_refused (f, "http://example.com", "unencrypted to example.com");
  assert_address_refused (f, "http://10.0.0.1:8080", "or http:// only for this computer");
  assert_address_refused (f, "ftp://example.com", "must start with https://");
  assert_address_refused (f, "api.magichour.ai", "must start with https://");
  assert_address_refused (f, "https://", "is not a web address");
  assert_address_refused (f, "https://api.example.com/?key=1", "cannot contain");

  assert_address_accepted (f, "http://127.0.0.1:1234", "http://127.0.0.1:1234", "http://127.0.0.1:1234");
  assert_address_accepted (f, "http://127.8.9.10:1234/", "http://127.8.9.10:1234", "http://127.8.9.10:1234");
  assert_address_accepted (f, " http://localhost:9/ ", "http://localhost:9", "http://localhost:9");
  assert_address_accepted (f, "http://[::1]:8080", "http://[::1]:8080", "http://[::1]:8080");
  assert_address_accepted (f, "https://api.example.com/v2", "https://api.example.com/v2",
                           "https://api.example.com/v2");
  /* Empty: the default. */
  assert_address_accepted (f, "", "", MH_DEFAULT_BASE_URL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
}

static MhSimulator *
start_other_simulator (gint64 credits)
{
  g_autoptr(GError) error = NULL;
  MhSimulator *sim = mh_simulator_new ();

  g_object_set (sim, "credits", credits, NULL);
  g_assert_true (mh_simulator_start (sim, 0, &error));
  g_assert_no_error (error);
  return sim;
}

/* "Key accepted · 1234 credits" was said of the old address: a new one
 * checks the key again, there, and only the newest check is shown. */
static void
test_key_follows_address (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MhSimulator) other = start_other_simulator (99);
  g_autoptr(MhSimulator) strict = start_other_simulator (5);
  MhSimRequest *request;

  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted · 1234 credits");

  /* Another server that knows the key. */
  apply_address (f, mh_simulator_get_base_url (other));
  g_assert_true (is_shown (get_widget (f, "key-spinner")));
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Checking the key with the new address…");
  /* The focus stays where the address was typed. */
  g_assert_true (gtk_widget_get_state_flags (get_widget (f, "address-row")) & GTK_STATE_FLAG_FOCUS_WITHIN);
  wait_key_status (f);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted at this address · 99 credits");
  assert_status_icon (f, "key-status-icon", "emblem-ok-symbolic", "success");
  g_assert_cmpuint (mh_simulator_count_requests (other, MH_SIM_ENDPOINT_ACCOUNT), >=, 1);
  request = mh_test_request (other, MH_SIM_ENDPOINT_ACCOUNT, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer " MH_TEST_KEY);

  /* One that refuses it, changed again while its answer is held back:
   * the first check is given up, and the answer of the latest is shown. */
  mh_simulator_set_required_key (strict, "mhk_only_this_one");
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 2000, NULL);
  apply_address (f, mh_simulator_get_base_url (f->base.sim));
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Checking the key with the new address…");
  apply_address (f, mh_simulator_get_base_url (strict));
  wait_key_status (f);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==,
                   "This address does not accept your key. Enter a key for it, or go back to the previous address.");
  assert_status_icon (f, "key-status-icon", "dialog-warning-symbolic", "error");
  g_assert_cmpuint (mh_simulator_count_requests (strict, MH_SIM_ENDPOINT_ACCOUNT), >=, 1);
  /* Nothing was stored or removed by checking. */
  assert_keyring_holds (MH_TEST_KEY);

  mh_simulator_stop (other);
  mh_simulator_stop (strict);
}

/* The address changed while a new key was being checked at the old one:
 * once it is saved, it is checked at the new address too. */
static void
test_key_follows_address_while_checking (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(MhSimulator) other = start_other_simulator (77);

  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 500, NULL);
  apply_key (f, MH_TEST_KEY);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Checking the key…");
  apply_address (f, mh_simulator_get_base_url (other));

  mh_test_wait_for (key_status_settled, f, MH_TEST_TIMEOUT, "the key at the new address");
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted at this address · 77 credits");
  g_assert_cmpuint (mh_simulator_count_requests (other, MH_SIM_ENDPOINT_ACCOUNT), >=, 1);
  assert_keyring_holds (MH_TEST_KEY);

  mh_simulator_stop (other);
}

static void
test_address_from_env (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *row = get_widget (f, "address-row");

  g_assert_true (mh_application_base_url_from_env (f->app));
  g_assert_false (gtk_widget_get_sensitive (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==,
                   mh_simulator_get_base_url (f->base.sim));
  g_assert_true (is_shown (get_widget (f, "address-status-row")));
  g_assert_cmpstr (row_title (f, "address-status-row"), ==,
                   "Set by MAGIC_HOUR_API_BASE_URL in the environment");
}

/* ---- Output folders ------------------------------------------------------- */

static void
test_folders (Fixture       *f,
              gconstpointer  data)
{
  GSettings *settings = mh_application_get_settings (f->app);
  AdwActionRow *video = ADW_ACTION_ROW (get_widget (f, "video-folder-row"));
  AdwActionRow *image = ADW_ACTION_ROW (get_widget (f, "image-folder-row"));
  g_autofree char *renders = g_build_filename (g_get_home_dir (), "Renders", NULL);
  g_autofree char *video_setting = NULL;

  /* Defaults: no reset button. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (video)), ==, "_Videos");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (video), "Magic Hour Studio"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (image), "Magic Hour Studio"));
  g_assert_false (is_shown (get_widget (f, "video-reset-button")));
  g_assert_false (is_shown (get_widget (f, "image-reset-button")));
  g_assert_true (is_shown (get_widget (f, "video-choose-button")));
  g_assert_true (is_shown (get_widget (f, "image-choose-button")));

  /* A chosen folder is shown, under home as “~/…”, and can be reset. */
  g_settings_set_string (settings, "output-folder-video", "/srv/media & more");
  g_settings_set_string (settings, "output-folder-image", renders);
  g_assert_cmpstr (adw_action_row_get_subtitle (video), ==, "/srv/media & more");
  g_assert_cmpstr (adw_action_row_get_subtitle (image), ==, "~/Renders");
  g_assert_true (is_shown (get_widget (f, "video-reset-button")));
  g_assert_true (is_shown (get_widget (f, "image-reset-button")));

  g_signal_emit_by_name (get_widget (f, "video-reset-button"), "clicked");
  video_setting = g_settings_get_string (settings, "output-folder-video");
  g_assert_cmpstr (video_setting, ==, "");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (video), "Magic Hour Studio"));
  g_assert_false (is_shown (get_widget (f, "video-reset-button")));
  g_assert_true (is_shown (get_widget (f, "image-reset-button")));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }

  return NULL;
}

static gboolean
setting_is (gpointer user_data)
{
  const char **pair = user_data;
  GSettings *settings = (GSettings *) pair[0];
  g_autofree char *value = g_settings_get_string (settings, pair[1]);

  return g_strcmp0 (value, pair[2]) == 0;
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *file;
} ChooserWait;

/* The dialog shows a folder, @w->file if it is set (it loads it first). */
static gboolean
chooser_has_file (gpointer user_data)
{
  ChooserWait *w = user_data;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GFile) file = gtk_file_chooser_get_current_folder (w->chooser);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return file != NULL && (w->file == NULL || g_file_equal (file, w->file));
}

static void
test_folders_choose (Fixture       *f,
                     gconstpointer  data)
{
  GSettings *settings = mh_application_get_settings (f->app);
  g_autofree char *chosen = g_build_filename (f->base.tmp, "Chosen", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (chosen);
  const char *wait[] = { (const char *) settings, "output-folder-image", chosen };
  GtkWindow *dialog;

  g_assert_cmpint (g_mkdir_with_parents (chosen, 0755), ==, 0);

  /* Without a portal, GtkFileChooserNative shows GTK's own dialog. */
  g_signal_emit_by_name (get_widget (f, "image-choose-button"), "clicked");
  dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (dialog));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  g_assert_cmpstr (gtk_window_get_title (dialog), ==, "Choose a Folder for Pictures");

  /* The dialog opens where the folder is (or would be) and loads it; the
   * person chooses once it shows. Choosing before it is done races that
   * load, and the load can win. */
  mh_test_wait_for (chooser_has_file, &(ChooserWait) { GTK_FILE_CHOOSER (dialog), NULL },
                    MH_TEST_TIMEOUT, "the dialog to show its folder");

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL));
  mh_test_wait_for (chooser_has_file, &(ChooserWait) { GTK_FILE_CHOOSER (dialog), folder },
                    MH_TEST_TIMEOUT, "the folder to be selected");
  /* The dialog's own “Select” button: it decides what was chosen. */
  g_signal_emit_by_name (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT),
                         "clicked");
  G_GNUC_END_IGNORE_DEPRECATIONS

  mh_test_wait_for (setting_is, wait, MH_TEST_TIMEOUT, "the chosen folder to be saved");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (get_widget (f, "image-folder-row"))),
                   ==, chosen);
  g_assert_true (is_shown (get_widget (f, "image-reset-button")));
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

/* ---- Demo mode ------------------------------------------------------------ */

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MhSimRequest *request;

  g_assert_true (mh_application_start_demo (f->app, &error));
  g_assert_no_error (error);

  /* Both groups say the demo does not use them. */
  g_assert_cmpstr (row_title (f, "key-status-row"), ==,
                   "The demo uses the built-in simulator and needs no key.");
  g_assert_true (is_shown (get_widget (f, "address-status-row")));
  g_assert_cmpstr (row_title (f, "address-status-row"), ==,
                   "The demo uses the built-in simulator; this address is used outside the demo.");

  /* A key entered during the demo is checked where jobs go after it (the
   * address setting: this test's simulator), not by the demo's simulator. */
  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted · 1234 credits");
  g_assert_cmpuint (mh_simulator_count_requests (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT), ==, 1);
  request = mh_test_request (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer " MH_TEST_KEY);
  assert_keyring_holds (MH_TEST_KEY);
}

/* ---- Keyboard ------------------------------------------------------------- */

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  const char *targets[] = {
    "key-row", "remove-key-button", "create-key-row", "video-reset-button",
    "video-choose-button", "image-choose-button", "address-row",
  };
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  /* Show every control: a stored key, a chosen folder. */
  apply_key (f, MH_TEST_KEY);
  wait_key_status (f);
  g_settings_set_string (mh_application_get_settings (f->app), "output-folder-video", "/srv");

  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (GTK_WINDOW (f->window));
      if (focus != NULL)
        g_ptr_array_add (seen, focus);
    }

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      GtkWidget *target = get_widget (f, targets[t]);
      gboolean reached = FALSE;

      for (guint i = 0; i < seen->len && !reached; i++)
        reached = seen->pdata[i] == target || gtk_widget_is_ancestor (seen->pdata[i], target);

      if (!reached)
        g_error ("“%s” cannot be reached with Tab", targets[t]);
    }
}

/* ---- Screenshots ---------------------------------------------------------- */

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        last_width;
  gint64     frame;
} SizeWait;

/* The window took about the size asked for (client-side decorations take a
 * few pixels of it), and a few frames were drawn since it last changed: the
 * rows' animations have ended. */
static gboolean
laid_out (gpointer user_data)
{
  SizeWait *w = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (w->widget);
  int width = gtk_widget_get_width (w->widget);

  if (!gtk_widget_get_mapped (w->widget) || clock == NULL || ABS (width - w->width) > 16)
    return FALSE;

  if (w->frame < 0 || width != w->last_width)
    {
      w->frame = gdk_frame_clock_get_frame_counter (clock);
      w->last_width = width;
    }
  gtk_widget_queue_draw (w->widget);
  return gdk_frame_clock_get_frame_counter (clock) > w->frame + 20;
}

static void
save_screenshot (GtkWidget  *window,
                 int         width,
                 int         height,
                 const char *name)
{
  const char *dir = g_getenv ("MH_SCREENSHOT_DIR");
  SizeWait wait = { window, width, 0, -1 };
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkWidget *content;
  GdkRGBA background;
  int w, h;

  if (dir == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  mh_test_wait_for (laid_out, &wait, MH_TEST_TIMEOUT, "the window's size");

  /* A paintable of the toplevel itself draws nothing: take its content. */
  content = gtk_widget_get_first_child (window);
  w = gtk_widget_get_width (content);
  h = gtk_widget_get_height (content);
  paintable = gtk_widget_paintable_new (content);
  snapshot = gtk_snapshot_new ();
  /* The window paints the background its content sits on. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (window), "window_bg_color", &background);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));

  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static void
take_screenshots (Fixture    *f,
                  const char *state)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const int widths[] = { 600, 360 };

  for (guint s = 0; s < 2; s++)
    {
      adw_style_manager_set_color_scheme (style, s == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                        : ADW_COLOR_SCHEME_FORCE_DARK);
      for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
        {
          g_autofree char *name = g_strdup_printf ("preferences-%s-%d-%s.png", state, widths[i],
                                                   s == 0 ? "light" : "dark");

          save_screenshot (f->window, widths[i], widths[i] == 360 ? 1100 : 900, name);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  /* The first look. */
  take_screenshots (f, "initial");

  /* While checking (the simulator holds the answer back a while). */
  mh_simulator_add_fault (f->base.sim, MH_SIM_ENDPOINT_ACCOUNT, MH_SIM_FAULT_SLOW, 1, 3000, NULL);
  apply_key (f, MH_TEST_KEY);
  save_screenshot (f->window, 360, 1100, "preferences-checking-360-light.png");
  g_assert_true (is_shown (get_widget (f, "key-spinner")));

  /* A result in every row: a key accepted, a chosen folder, a refused address. */
  wait_key_status (f);
  g_assert_cmpstr (row_title (f, "key-status-row"), ==, "Key accepted · 1234 credits");
  g_settings_set_string (mh_application_get_settings (f->app), "output-folder-video",
                         "/media/external-drive/Magic Hour Studio/Talking Photos and Lip Syncs");
  apply_address (f, "http://api.example.com");
  take_screenshots (f, "results");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  setlocale (LC_ALL, "");

  /* A job history of our own. */
  data_dir = mh_test_make_tmp_dir ();
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  /* A keyring of our own: these tests write it, and the one all tests
   * share (tests/meson.build) may be written at the same time by another
   * run of this program (two test runs in one build tree); the file
   * backend then refuses to save ("The file was externally modified"). */
  keyring = g_build_filename (data_dir, "keyring.secrets", NULL);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);

  /* No session bus is needed; do not let GDBus start one for X11. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  adw_init ();
  /* Linking from the static library keeps the templates' resource only when
   * something refers to it; its constructor then registers it. */
  g_assert_nonnull (mh_app_get_resource ());

#define ADD(path, func, env) \
  g_test_add (path, Fixture, GINT_TO_POINTER (env), fixture_setup, func, fixture_teardown)

  ADD ("/preferences/key/initial", test_key_initial, ENV_NONE);
  ADD ("/preferences/key/accepted", test_key_accepted, ENV_NONE);
  ADD ("/preferences/key/refused", test_key_refused, ENV_NONE);
  ADD ("/preferences/key/empty", test_key_empty, ENV_NONE);
  ADD ("/preferences/key/server-error", test_key_server_error, ENV_NONE);
  ADD ("/preferences/key/older-api", test_key_older_api, ENV_NONE);
  ADD ("/preferences/key/remove", test_key_remove, ENV_NONE);
  ADD ("/preferences/key/close-while-checking", test_key_close_while_checking, ENV_NONE);
  ADD ("/preferences/key/from-env", test_key_from_env, ENV_KEY);
  ADD ("/preferences/address/validation", test_address, ENV_NONE);
  ADD ("/preferences/address/from-env", test_address_from_env, ENV_BASE_URL);
  ADD ("/preferences/address/key-follows", test_key_follows_address, ENV_NONE);
  ADD ("/preferences/address/key-follows-while-checking", test_key_follows_address_while_checking, ENV_NONE);
  ADD ("/preferences/folders/show-and-reset", test_folders, ENV_NONE);
  ADD ("/preferences/folders/choose", test_folders_choose, ENV_NONE);
  ADD ("/preferences/demo", test_demo, ENV_NONE);
  ADD ("/preferences/keyboard", test_keyboard, ENV_NONE);
  ADD ("/preferences/screenshots", test_screenshots, ENV_NONE);

#undef ADD

  status = g_test_run ();
  mh_test_rm_rf (data_dir);
  return status;
}
