/* mh-cli-account.c: `magic-hour-studio-cli account`
 *
 * One GET /v1/account: the balance, the plan, the subscription's status and
 * its renewal date, as text or as one JSON event. A server without the
 * endpoint (404, an older API) is not an error: it is said plainly and the
 * exit status is 0, so scripts can tell it from a refused key (3) or a
 * network failure (4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "mh-account.h"
#include "mh-cli-account.h"
#include "mh-cli-private.h"
#include "mh-client.h"
#include "mh-tool.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = mh_account_refresh_finish (MH_ACCOUNT (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (MhAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GDateTime *end = mh_account_get_current_period_end (account);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "account");
  json_builder_set_member_name (builder, "available");
  json_builder_add_boolean_value (builder, mh_account_get_available (account));
  if (mh_account_get_available (account))
    {
      json_builder_set_member_name (builder, "credits");
      if (mh_account_get_credits (account) >= 0)
        json_builder_add_int_value (builder, mh_account_get_credits (account));
      else
        json_builder_add_null_value (builder);
      add_string (builder, "tier", mh_account_get_tier (account));
      add_string (builder, "email", mh_account_get_email (account));
      json_builder_set_member_name (builder, "subscription");
      if (mh_account_get_subscription_status (account) == NULL)
        json_builder_add_null_value (builder);
      else
        {
          g_autofree char *when = end != NULL ? g_date_time_format_iso8601 (end) : NULL;

          json_builder_begin_object (builder);
          add_string (builder, "name", mh_account_get_subscription_name (account));
          add_string (builder, "status", mh_account_get_subscription_status (account));
          add_string (builder, "billing_interval", mh_account_get_billing_interval (account));
          add_string (builder, "current_period_end", when);
          json_builder_set_member_name (builder, "cancel_at_period_end");
          json_builder_add_boolean_value (builder, mh_account_get_cancel_at_period_end (account));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_object (builder);
  mh_cli_json_event (builder);
}

static void
print_text (MhAccount *account)
{
  const char *status = mh_account_get_subscription_status (account);
  GDateTime *end = mh_account_get_current_period_end (account);
  g_autofree char *date = NULL;

  if (mh_account_get_credits (account) >= 0)
    {
      g_autofree char *number = mh_format_credits (mh_account_get_credits (account));

      printf (_("Credits: %s\n"), number);
    }
  else
    printf ("%s\n", _("Credits: unknown"));
  if (mh_account_get_tier (account) != NULL)
    printf (_("Plan: %s\n"), mh_plan_label (mh_account_get_tier (account)));

  if (end != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (end);

      date = g_date_time_format (local, "%Y-%m-%d");
    }

  if (status == NULL)
    printf ("%s\n", _("Subscription: none"));
  else if (g_str_equal (status, "past_due"))
    printf (_("Subscription: payment past due. %s\n"), mh_account_get_past_due_message (account));
  else if (g_str_equal (status, "active"))
    printf ("%s\n", _("Subscription: active"));
  else
    printf (_("Subscription: %s\n"), status);

  if (date != NULL && mh_account_get_cancel_at_period_end (account))
    printf (_("Ends on: %s (it will not renew)\n"), date);
  else if (date != NULL)
    printf (_("Renews on: %s\n"), date);
}

int
mh_cli_account_run (int            argc,
                    char         **argv,
                    const char    *base_url,
                    MhCliOutput    output,
                    GCancellable  *cancellable)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MhClient) client = NULL;
  g_autoptr(MhAccount) account = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *opt_base_url = g_strdup (base_url);
  gboolean opt_json = FALSE;
  gboolean opt_quiet = FALSE;
  Wait wait = { 0 };
  GOptionEntry entries[] = {
    { "api-base-url", 0, 0, G_OPTION_ARG_STRING, &opt_base_url,
      N_("Address of the Magic Hour API (default: $MAGIC_HOUR_API_BASE_URL or https://api.magichour.ai)"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
      N_("Print the account as one JSON object"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
      N_("Print only errors"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Show the account's credits, plan, subscription status and renewal date. A server that does not tell the account says so, with exit status 0."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mh_cli_print_error (output, error->message);
      return EXIT_USAGE;
    }
  if (opt_json)
    output = MH_CLI_OUTPUT_JSON;
  else if (opt_quiet)
    output = MH_CLI_OUTPUT_QUIET;
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("“account” takes no argument, not “%s”."), argv[1]);

      mh_cli_print_error (output, message);
      return EXIT_USAGE;
    }

  client = mh_cli_client_new (opt_base_url, output, cancellable);
  if (client == NULL)
    return EXIT_USAGE;

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  account = mh_account_new ();
  mh_account_refresh_async (account, client, cancellable, refreshed_cb, &wait);
  g_main_loop_run (loop);
  if (!wait.ok)
    {
      int status = mh_cli_exit_status (wait.error, g_cancellable_is_cancelled (cancellable));

      mh_cli_print_error (output, wait.error->message);
      g_clear_error (&wait.error);
      return status;
    }

  if (output == MH_CLI_OUTPUT_JSON)
    print_json (account);
  else if (!mh_account_get_available (account))
    {
      if (output == MH_CLI_OUTPUT_TEXT)
        printf ("%s\n", _("This server does not tell the account's credits or plan (it has no /v1/account)."));
    }
  else if (output == MH_CLI_OUTPUT_TEXT)
    print_text (account);

  return 0;
}
