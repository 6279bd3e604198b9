/* test-file-row.c: one asset slot of a tool, as a person sees and uses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "mh-app-resources.h"
#include "mh-app-test-util.h"
#include "mh-error.h"
#include "mh-file-row.h"
#include "mh-params.h"
#include "mh-test-util.h"
#include "mh-validate.h"

typedef struct
{
  char *tmp;
  char *png;
  char *gif;
  char *wav;
  char *mp4;
  char *empty;
  char *missing;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

  fixture->tmp = mh_test_make_tmp_dir ();
  fixture->png = mh_test_write_png (fixture->tmp, "face.png");
  fixture->gif = mh_test_write_file (fixture->tmp, "anim.gif", gif, sizeof gif - 1);
  fixture->wav = mh_test_write_wav (fixture->tmp, "speech.wav", 2.5);
  fixture->mp4 = mh_test_write_mp4 (fixture->tmp, "clip.mp4");
  fixture->empty = mh_test_write_file (fixture->tmp, "empty.png", "", 0);
  fixture->missing = g_build_filename (fixture->tmp, "missing.png", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  mh_test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->png);
  g_free (fixture->gif);
  g_free (fixture->wav);
  g_free (fixture->mp4);
  g_free (fixture->empty);
  g_free (fixture->missing);
}

/* ---- Helpers ------------------------------------------------------------- */

static MhFileRow *
row_new (const char *tool_id,
         const char *slot_key)
{
  return g_object_ref_sink (MH_FILE_ROW (mh_file_row_new (tool_id, slot_key)));
}

static GtkWidget *
child (MhFileRow  *row,
       const char *name)
{
  GtkWidget *widget = mh_app_test_find_named (GTK_WIDGET (row), name);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
only_one_ref (gpointer user_data)
{
  /* A finished task may hold the row a moment longer in its worker thread. */
  return G_OBJECT (user_data)->ref_count == 1;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A worker thread lets go of its task without waking the main loop, so the
 * wait looks again every few milliseconds. */
static void
wait_for_one_ref (MhFileRow *row)
{
  guint tick = g_timeout_add (5, tick_cb, NULL);

  mh_test_wait_for (only_one_ref, row, MH_TEST_TIMEOUT, "the row's last task");
  g_source_remove (tick);
}

static gboolean
pointer_is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* For a row owned by a window: waits for its tasks to let go of it. */
static void
wait_for_one_ref_or_gone (MhFileRow **row)
{
  guint tick = g_timeout_add (5, tick_cb, NULL);

  mh_test_wait_for (pointer_is_null, row, MH_TEST_TIMEOUT, "the row to be finalized");
  g_source_remove (tick);
}

static void
finalize_row (MhFileRow *row)
{
  wait_for_one_ref (row);
  g_assert_finalize_object (row);
}

/* AdwActionRow's own subtitle label, which takes the colour classes. */
static GtkWidget *
find_subtitle_in (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (c) && gtk_widget_has_css_class (c, "subtitle"))
        return c;
      if (!GTK_IS_POPOVER (c) && (found = find_subtitle_in (c)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_subtitle (MhFileRow *row)
{
  GtkWidget *label = find_subtitle_in (GTK_WIDGET (row));

  g_assert_nonnull (label);
  return label;
}

static const char *
subtitle (MhFileRow *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
notified_cb (GObject    *object,
             GParamSpec *pspec,
             gboolean   *flag)
{
  *flag = TRUE;
  return FALSE;
}

/* Iterates the main loop until @property of @row is notified. */
static void
wait_for_notify (MhFileRow  *row,
                 const char *property)
{
  g_autofree char *signal = g_strdup_printf ("notify::%s", property);
  gboolean flag = FALSE;
  gulong id = g_signal_connect (row, signal, G_CALLBACK (notified_cb), &flag);

  mh_test_wait_for_flag (&flag, MH_TEST_TIMEOUT, signal);
  g_signal_handler_disconnect (row, id);
}

static gboolean
picture_is_shown (gpointer user_data)
{
  MhFileRow *row = user_data;
  GtkWidget *picture = child (row, "preview-picture");

  return gtk_picture_get_paintable (GTK_PICTURE (picture)) != NULL &&
         gtk_widget_is_visible (picture);
}

static gboolean
set_file (MhFileRow  *row,
          const char *path,
          GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return mh_file_row_set_file (row, file, error);
}

typedef struct
{
  MhFileRow  *row;
  const char *path;
} TakeData;

static gboolean
file_is_taken (gpointer user_data)
{
  TakeData *data = user_data;

  return g_strcmp0 (mh_file_row_get_value (data->row), data->path) == 0 &&
         mh_file_row_get_error (data->row) == NULL;
}

/* Sets @path and waits for the row to take it. */
static void
take_file (MhFileRow  *row,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  TakeData data = { row, path };

  g_assert_true (set_file (row, path, &error));
  g_assert_no_error (error);
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, path);
}

static char *
expected_subtitle (const char *path,
                   const char *duration)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *size = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  size = mh_format_size (st.st_size);

  if (duration != NULL)
    return g_strdup_printf ("%s · %s · %s", name, size, duration);
  return g_strdup_printf ("%s · %s", name, size);
}

/* What the engine says about @value in @slot_key of @tool_id. */
static char *
engine_message (const char *tool_id,
                const char *slot_key,
                const char *value)
{
  const MhTool *tool = mh_tool_lookup (tool_id);
  g_autoptr(GHashTable) params = mh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_key = NULL;

  const MhAssetSlot *target = mh_tool_find_slot (tool, slot_key);

  /* The other slots get a value the engine takes, so it judges @value. */
  for (guint i = 0; i < tool->n_slots; i++)
    {
      const MhAssetSlot *slot = &tool->slots[i];
      g_autofree char *good = NULL;

      if (slot == target ||
          (slot->source_group != NULL && g_strcmp0 (slot->source_group, target->source_group) == 0))
        continue;
      good = slot->url_only ? g_strdup ("https://youtu.be/x")
                            : g_strdup_printf ("x.%s", mh_asset_type_extensions (slot->type)[0]);
      mh_params_set (params, slot->key, good);
    }

  mh_params_set (params, slot_key, value);
  g_assert_false (mh_validate_params (tool, params, NULL, &bad_key, &error));
  g_assert_cmpstr (bad_key, ==, slot_key);

  return g_strdup (error->message);
}

/* ---- Tests --------------------------------------------------------------- */

static void
test_empty_rows (void)
{
  struct {
    const char *tool_id;
    const char *slot_key;
    const char *title;
    const char *icon;
    gboolean    can_pick;
  } rows[] = {
    { "talking-photo", "image", "Photo", "image-x-generic-symbolic", TRUE },
    { "talking-photo", "audio", "Speech", "audio-x-generic-symbolic", TRUE },
    { "lip-sync", "video", "Video", "video-x-generic-symbolic", TRUE },
    { "lip-sync", "youtube", "YouTube video", "video-x-generic-symbolic", FALSE },
    { "lip-sync", "audio", "Speech", "audio-x-generic-symbolic", TRUE },
    { "headshot", "image", "Photo", "image-x-generic-symbolic", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      MhFileRow *row = row_new (rows[i].tool_id, rows[i].slot_key);
      const MhAssetSlot *slot = mh_file_row_get_slot (row);
      double duration;

      g_assert_nonnull (slot);
      g_assert_cmpstr (slot->key, ==, rows[i].slot_key);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, rows[i].title);
      g_assert_cmpstr (subtitle (row), ==, slot->description);
      g_assert_null (mh_file_row_get_value (row));
      g_assert_null (mh_file_row_get_error (row));
      g_assert_cmpfloat (mh_file_row_get_duration (row), ==, -1);
      g_object_get (row, "duration", &duration, NULL);
      g_assert_cmpfloat (duration, ==, -1);

      g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (child (row, "type-image"))), ==, rows[i].icon);
      g_assert_true (gtk_widget_get_visible (child (row, "type-image")));
      g_assert_cmpint (gtk_widget_get_visible (child (row, "pick-button")), ==, rows[i].can_pick);
      g_assert_true (gtk_widget_get_visible (child (row, "link-button")));
      g_assert_false (gtk_widget_get_visible (child (row, "clear-button")));
      g_assert_false (gtk_widget_get_visible (child (row, "play-button")));
      g_assert_true (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == NULL);
      g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));

      /* Every button says what it does. */
      g_assert_cmpstr (gtk_widget_get_tooltip_text (child (row, "pick-button")), ==, "Choose a File…");
      g_assert_cmpstr (gtk_widget_get_tooltip_text (child (row, "clear-button")), ==, "Remove");
      g_assert_nonnull (gtk_widget_get_tooltip_text (child (row, "link-button")));
      g_assert_true (gtk_widget_get_focusable (child (row, "pick-button")));
      g_assert_true (gtk_widget_get_focusable (child (row, "clear-button")));

      finalize_row (row);
    }
}

static void
test_image (Fixture       *fixture,
            gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");
  g_autofree char *expected = expected_subtitle (fixture->png, NULL);

  take_file (row, fixture->png);
  g_assert_cmpstr (subtitle (row), ==, expected);
  g_assert_cmpfloat (mh_file_row_get_duration (row), ==, -1);
  g_assert_true (gtk_widget_get_visible (child (row, "clear-button")));
  g_assert_false (gtk_widget_get_visible (child (row, "play-button")));

  /* The thumbnail is read off the main loop, then replaces the icon. */
  mh_test_wait_for (picture_is_shown, row, MH_TEST_TIMEOUT, "the thumbnail");
  g_assert_false (gtk_widget_get_visible (child (row, "type-image")));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (child (row, "preview-picture")))), >, 0);

  finalize_row (row);
}

static void
test_audio (Fixture       *fixture,
            gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "audio");
  g_autofree char *before = expected_subtitle (fixture->wav, NULL);
  g_autofree char *after = expected_subtitle (fixture->wav, "0:02.5");

  take_file (row, fixture->wav);
  if (mh_file_row_get_duration (row) < 0)
    {
      g_assert_cmpstr (subtitle (row), ==, before);
      wait_for_notify (row, "duration");
    }
  g_assert_cmpfloat_with_epsilon (mh_file_row_get_duration (row), 2.5, 0.01);
  g_assert_cmpstr (subtitle (row), ==, after);
  g_assert_cmpstr (subtitle (row), ==, "speech.wav · 40.0\u00a0kB · 0:02.5" /* g_format_size: no-break space */);

  /* Play/pause, unless this machine cannot decode audio at all. */
  g_assert_true (gtk_widget_get_visible (child (row, "play-button")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (row, "play-button")), ==, "Play");
  g_assert_false (gtk_widget_get_visible (child (row, "type-image")));

  g_signal_emit_by_name (child (row, "play-button"), "clicked");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (row, "play-button")), ==, "Pause");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (child (row, "play-button"))), ==,
                   "media-playback-pause-symbolic");
  g_signal_emit_by_name (child (row, "play-button"), "clicked");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (row, "play-button")), ==, "Play");

  finalize_row (row);
}

static void
test_video (Fixture       *fixture,
            gconstpointer  user_data)
{
  MhFileRow *row = row_new ("lip-sync", "video");
  g_autofree char *after = expected_subtitle (fixture->mp4, "0:03.0");

  take_file (row, fixture->mp4);
  if (mh_file_row_get_duration (row) < 0)
    wait_for_notify (row, "duration");
  g_assert_cmpfloat_with_epsilon (mh_file_row_get_duration (row), 3.0, 0.05);
  g_assert_cmpstr (subtitle (row), ==, after);
  g_assert_true (gtk_widget_get_visible (child (row, "play-button")));
  /* The frame preview shows the media stream itself. */
  g_assert_true (GTK_IS_MEDIA_STREAM (gtk_picture_get_paintable (GTK_PICTURE (child (row, "preview-picture")))));

  finalize_row (row);
}

static void
test_wrong_type (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");
  g_autofree char *expected = engine_message ("talking-photo", "image", fixture->gif);
  g_autoptr(GError) error = NULL;
  gboolean notified = FALSE;

  take_file (row, fixture->png);

  g_signal_connect (row, "notify::error", G_CALLBACK (notified_cb), &notified);
  g_assert_false (set_file (row, fixture->gif, &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_true (notified);
  g_assert_cmpstr (mh_file_row_get_error (row), ==, expected);
  g_assert_nonnull (strstr (expected, "“anim.gif” is not one"));
  /* Refused on the spot, shown in the row; the photo stays. */
  g_assert_cmpstr (subtitle (row), ==, expected);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);

  /* A good file again puts the refusal away. */
  g_clear_error (&error);
  take_file (row, fixture->png);
  g_assert_null (mh_file_row_get_error (row));

  /* An audio slot says the same about a photo as the engine. */
  {
    MhFileRow *audio = row_new ("talking-photo", "audio");
    g_autofree char *message = engine_message ("talking-photo", "audio", fixture->png);

    g_assert_false (set_file (audio, fixture->png, &error));
    g_assert_cmpstr (mh_file_row_get_error (audio), ==, message);
    g_assert_null (mh_file_row_get_value (audio));
    finalize_row (audio);
  }

  finalize_row (row);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");

  /* The type is right, so the disk decides, in a thread. */
  g_assert_true (set_file (row, fixture->missing, NULL));
  wait_for_notify (row, "error");
  g_assert_nonnull (strstr (mh_file_row_get_error (row), "does not exist"));
  g_assert_nonnull (strstr (mh_file_row_get_error (row), "missing.png"));
  g_assert_cmpstr (subtitle (row), ==, mh_file_row_get_error (row));
  g_assert_null (mh_file_row_get_value (row));
  g_assert_false (gtk_widget_get_visible (child (row, "clear-button")));

  /* With a photo taken, a missing one leaves it in place. */
  take_file (row, fixture->png);
  g_assert_true (set_file (row, fixture->missing, NULL));
  wait_for_notify (row, "error");
  g_assert_nonnull (strstr (mh_file_row_get_error (row), "does not exist"));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);

  finalize_row (row);
}

static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MhFileRow *row = row_new ("headshot", "image");
  g_autofree char *expected = g_strdup_printf ("The file “%s” for “Photo” is empty. Choose another file.",
                                               fixture->empty);

  /* The engine's words, which name the whole path. */
  g_assert_true (set_file (row, fixture->empty, NULL));
  wait_for_notify (row, "error");
  g_assert_cmpstr (mh_file_row_get_error (row), ==, expected);
  g_assert_cmpstr (subtitle (row), ==, mh_file_row_get_error (row));
  g_assert_null (mh_file_row_get_value (row));

  finalize_row (row);
}

static void
test_url (Fixture       *fixture,
          gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");
  g_autoptr(GError) error = NULL;
  gboolean notified = FALSE;

  g_signal_connect (row, "notify::value", G_CALLBACK (notified_cb), &notified);
  g_assert_true (mh_file_row_set_uri (row, "https://example.com/photos/face.jpg", &error));
  g_assert_no_error (error);
  g_assert_true (notified);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/photos/face.jpg");
  g_assert_cmpstr (subtitle (row), ==, "https://example.com/photos/face.jpg");
  g_assert_cmpfloat (mh_file_row_get_duration (row), ==, -1);
  g_assert_true (gtk_widget_get_visible (child (row, "clear-button")));

  /* Not a web address: refused, the link stays. */
  g_assert_false (mh_file_row_set_uri (row, "ftp://example.com/face.jpg", &error));
  g_assert_error (error, MH_ERROR, MH_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==,
                   "The Photo link “ftp://example.com/face.jpg” is not a valid web address. "
                   "Use a full http:// or https:// link.");
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/photos/face.jpg");
  g_clear_error (&error);

  /* A link without a host, as the engine judges it. */
  {
    g_autofree char *expected = engine_message ("talking-photo", "image", "https:///face.jpg");

    g_assert_false (mh_file_row_set_uri (row, "https:///face.jpg", &error));
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
  }

  /* A link to a file of the wrong type, as the engine judges it: the API
   * fetches it, so only http(s) and the host count. An api-assets path is
   * judged by its extension. */
  {
    g_autofree char *expected = engine_message ("talking-photo", "image", "api-assets/x/voice.mp3");

    g_assert_false (mh_file_row_set_uri (row, "api-assets/x/voice.mp3", &error));
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
    g_assert_true (mh_file_row_set_uri (row, "api-assets/x/face.png", &error));
    g_assert_cmpstr (mh_file_row_get_value (row), ==, "api-assets/x/face.png");
  }

  /* A file:// URI is a file. */
  {
    g_autofree char *uri = g_filename_to_uri (fixture->png, NULL, NULL);

    notified = FALSE;
    g_assert_true (mh_file_row_set_uri (row, uri, NULL));
    mh_test_wait_for_flag (&notified, MH_TEST_TIMEOUT, "the file:// URI");
    g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);
    mh_test_wait_for (picture_is_shown, row, MH_TEST_TIMEOUT, "the thumbnail");
  }

  finalize_row (row);
}

static void
test_youtube (Fixture       *fixture,
              gconstpointer  user_data)
{
  MhFileRow *row = row_new ("lip-sync", "youtube");
  g_autoptr(GError) error = NULL;
  g_autofree char *vimeo = engine_message ("lip-sync", "youtube", "https://vimeo.com/123");
  g_autofree char *file = NULL;

  g_assert_true (mh_file_row_get_slot (row)->url_only);
  g_assert_false (gtk_widget_get_visible (child (row, "pick-button")));

  g_assert_false (mh_file_row_set_uri (row, "https://vimeo.com/123", &error));
  g_assert_cmpstr (error->message, ==, vimeo);
  g_assert_nonnull (strstr (vimeo, "not a YouTube link"));
  g_assert_cmpstr (mh_file_row_get_error (row), ==, vimeo);
  g_assert_null (mh_file_row_get_value (row));
  g_clear_error (&error);

  /* A look-alike host is not YouTube. */
  g_assert_false (mh_file_row_set_uri (row, "https://notyoutube.com/watch?v=x", NULL));

  g_assert_true (mh_file_row_set_uri (row, "https://youtu.be/dQw4w9WgXcQ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://youtu.be/dQw4w9WgXcQ");
  g_assert_null (mh_file_row_get_error (row));
  g_assert_cmpstr (subtitle (row), ==, "https://youtu.be/dQw4w9WgXcQ");

  g_assert_true (mh_file_row_set_uri (row, "https://www.YouTube.com/watch?v=x", NULL));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://www.YouTube.com/watch?v=x");

  /* A file, even a video, is no link. */
  file = engine_message ("lip-sync", "youtube", fixture->mp4);
  g_assert_false (set_file (row, fixture->mp4, &error));
  g_assert_cmpstr (error->message, ==, file);
  g_assert_nonnull (strstr (file, "must be a link"));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://www.YouTube.com/watch?v=x");

  finalize_row (row);
}

static void
test_link_popover (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *window = gtk_window_new ();
  MhFileRow *row = MH_FILE_ROW (mh_file_row_new ("lip-sync", "youtube"));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *entry, *use, *error_label, *link_button;
  GtkPopover *popover;

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);

  /* Activating a link-only row opens the link entry. */
  link_button = child (row, "link-button");
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (link_button));
  g_signal_emit_by_name (row, "activated");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

  entry = child (row, "link-entry");
  use = child (row, "use-link-button");
  error_label = child (row, "link-error");
  g_assert_false (gtk_widget_get_sensitive (use));

  gtk_editable_set_text (GTK_EDITABLE (entry), "https://vimeo.com/123");
  g_assert_true (gtk_widget_get_sensitive (use));
  g_signal_emit_by_name (use, "clicked");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "not a YouTube link"));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_null (mh_file_row_get_value (row));

  /* Typing puts the complaint away. */
  gtk_editable_set_text (GTK_EDITABLE (entry), " https://youtu.be/abc ");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://youtu.be/abc");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* Opened again, it shows the link in use. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (link_button));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "https://youtu.be/abc");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (link_button));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_null (row);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "audio");
  gboolean value_notified = FALSE, error_notified = FALSE, duration_notified = FALSE;

  take_file (row, fixture->wav);
  if (mh_file_row_get_duration (row) < 0)
    wait_for_notify (row, "duration");
  g_assert_false (set_file (row, fixture->png, NULL));
  g_assert_nonnull (mh_file_row_get_error (row));

  g_signal_connect (row, "notify::value", G_CALLBACK (notified_cb), &value_notified);
  g_signal_connect (row, "notify::error", G_CALLBACK (notified_cb), &error_notified);
  g_signal_connect (row, "notify::duration", G_CALLBACK (notified_cb), &duration_notified);

  /* As a person would: the Remove button. */
  g_assert_true (gtk_widget_get_visible (child (row, "clear-button")));
  g_signal_emit_by_name (child (row, "clear-button"), "clicked");

  g_assert_true (value_notified);
  g_assert_true (error_notified);
  g_assert_true (duration_notified);
  g_assert_null (mh_file_row_get_value (row));
  g_assert_null (mh_file_row_get_error (row));
  g_assert_cmpfloat (mh_file_row_get_duration (row), ==, -1);
  g_assert_cmpstr (subtitle (row), ==, "The voice the photo will speak");
  g_assert_false (gtk_widget_get_visible (child (row, "clear-button")));
  g_assert_false (gtk_widget_get_visible (child (row, "play-button")));
  g_assert_true (gtk_widget_get_visible (child (row, "type-image")));

  /* A check still running when the row is cleared comes to nothing. */
  g_assert_true (set_file (row, fixture->wav, NULL));
  mh_file_row_clear (row);
  wait_for_one_ref (row);
  g_assert_null (mh_file_row_get_value (row));
  g_assert_null (mh_file_row_get_error (row));

  finalize_row (row);
}

static void
test_value_property (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");
  g_autofree char *value = NULL;

  /* As a saved job restores it. */
  g_object_set (row, "value", fixture->png, NULL);
  wait_for_notify (row, "value");
  g_object_get (row, "value", &value, NULL);
  g_assert_cmpstr (value, ==, fixture->png);
  mh_test_wait_for (picture_is_shown, row, MH_TEST_TIMEOUT, "the thumbnail");

  g_object_set (row, "value", "https://example.com/a.png", NULL);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/a.png");
  g_assert_false (picture_is_shown (row));

  g_object_set (row, "value", NULL, NULL);
  g_assert_null (mh_file_row_get_value (row));

  finalize_row (row);
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static gboolean
file_chooser_is_open (gpointer user_data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_is_selected (gpointer user_data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (user_data);

  return file != NULL;
}

static gboolean
matches_name (GtkFileFilter *filter,
              const char    *name)
{
  g_autoptr(GFileInfo) info = g_file_info_new ();

  g_file_info_set_display_name (info, name);
  return gtk_filter_match (GTK_FILTER (filter), info);
}

static void
test_chooser (Fixture       *fixture,
              gconstpointer  user_data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  MhFileRow *row = MH_FILE_ROW (mh_file_row_new ("talking-photo", "image"));
  g_autoptr(GFile) png = g_file_new_for_path (fixture->png);
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GtkFileFilter) images = NULL;
  g_autoptr(GtkFileFilter) all = NULL;
  GtkWidget *dialog;
  TakeData data = { row, fixture->png };

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);

  /* Activating the row (Enter, Space, a click) opens the chooser. */
  g_signal_emit_by_name (row, "activated");
  mh_test_wait_for (file_chooser_is_open, NULL, MH_TEST_TIMEOUT, "the file chooser");
  dialog = find_file_chooser ();

  filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  images = g_list_model_get_item (filters, 0);
  all = g_list_model_get_item (filters, 1);
  g_assert_cmpstr (gtk_file_filter_get_name (images), ==, "Images");
  g_assert_cmpstr (gtk_file_filter_get_name (all), ==, "All Files");
  g_assert_true (gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog)) == images);
  g_assert_true (matches_name (images, "face.png"));
  g_assert_true (matches_name (images, "FACE.JPEG"));
  g_assert_true (matches_name (images, "scan.TIFF"));
  g_assert_false (matches_name (images, "anim.gif"));
  g_assert_false (matches_name (images, "voice.mp3"));
  g_assert_true (matches_name (all, "anim.gif"));

  /* Choosing a file takes it. */
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), png, NULL));
  mh_test_wait_for (file_is_selected, dialog, MH_TEST_TIMEOUT, "the file in the chooser");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, "the chosen file");

  /* The pick button opens it again; cancelling changes nothing. */
  g_signal_emit_by_name (child (row, "pick-button"), "clicked");
  mh_test_wait_for (file_chooser_is_open, NULL, MH_TEST_TIMEOUT, "the file chooser");
  gtk_dialog_response (GTK_DIALOG (find_file_chooser ()), GTK_RESPONSE_CANCEL);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);

  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_one_ref_or_gone (&row);
  g_assert_null (row);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "image");
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (row));
  g_autoptr(GFile) gif = g_file_new_for_path (fixture->gif);
  g_autoptr(GFile) png = g_file_new_for_path (fixture->png);
  g_auto(GValue) value = G_VALUE_INIT;
  const GType *types;
  gsize n_types;
  GSList *files = NULL;
  gboolean accepted = FALSE;
  gboolean notified = FALSE;

  g_assert_nonnull (target);
  types = gtk_drop_target_get_gtypes (target, &n_types);
  g_assert_cmpuint (n_types, >=, 2);
  g_assert_true (types[0] == GDK_TYPE_FILE_LIST);
  g_assert_true (types[1] == G_TYPE_FILE);

  /* Two files dropped: the one that fits is taken. */
  files = g_slist_append (files, gif);
  files = g_slist_append (files, png);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_slist_free (files);

  g_signal_connect (row, "notify::value", G_CALLBACK (notified_cb), &notified);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  mh_test_wait_for_flag (&notified, MH_TEST_TIMEOUT, "the dropped file");
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);

  /* One that does not fit is refused with the reason. */
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, gif);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_false (accepted);
  g_assert_nonnull (strstr (mh_file_row_get_error (row), "anim.gif"));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->png);

  /* A link dragged from a browser. */
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "https://example.com/b.webp\r\n");
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/b.webp");

  finalize_row (row);
}

static void
test_paste (Fixture       *fixture,
            gconstpointer  user_data)
{
  MhFileRow *row = row_new ("talking-photo", "audio");
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (row));
  g_autoptr(GFile) wav = g_file_new_for_path (fixture->wav);
  GSList *files = g_slist_append (NULL, wav);
  GdkFileList *list = gdk_file_list_new_from_list (files);
  gboolean notified = FALSE;

  g_slist_free (files);

  /* Files copied in a file manager. */
  gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_signal_connect (row, "notify::value", G_CALLBACK (notified_cb), &notified);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "file-row.paste", NULL));
  mh_test_wait_for_flag (&notified, MH_TEST_TIMEOUT, "the pasted file");
  g_assert_cmpstr (mh_file_row_get_value (row), ==, fixture->wav);

  /* A copied link. */
  notified = FALSE;
  gdk_clipboard_set_text (clipboard, "https://example.com/voice.mp3");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "file-row.paste", NULL));
  mh_test_wait_for_flag (&notified, MH_TEST_TIMEOUT, "the pasted link");
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/voice.mp3");

  /* Text that is neither is refused with the reason. */
  gdk_clipboard_set_text (clipboard, "hello");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "file-row.paste", NULL));
  wait_for_notify (row, "error");
  g_assert_nonnull (strstr (mh_file_row_get_error (row), "not a valid web address"));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, "https://example.com/voice.mp3");

  gdk_clipboard_set_content (clipboard, NULL);
  finalize_row (row);
}

typedef struct
{
  GtkWidget *window;
  MhFileRow *row;
  GtkWidget *entry;
  GtkPopover *popover;
} LinkRow;

static void
link_row_open (LinkRow    *lr,
               const char *tool_id,
               const char *slot_key)
{
  GtkWidget *list = gtk_list_box_new ();

  lr->window = gtk_window_new ();
  lr->row = MH_FILE_ROW (mh_file_row_new (tool_id, slot_key));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (lr->row));
  gtk_window_set_child (GTK_WINDOW (lr->window), list);
  gtk_window_present (GTK_WINDOW (lr->window));
  g_object_add_weak_pointer (G_OBJECT (lr->row), (gpointer *) &lr->row);
  lr->entry = child (lr->row, "link-entry");
  lr->popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (child (lr->row, "link-button")));
}

/* Types @text into "Use a Link…" as a person does, and presses Enter. */
static void
link_row_use (LinkRow    *lr,
              const char *text)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (child (lr->row, "link-button")));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lr->popover)));
  gtk_editable_set_text (GTK_EDITABLE (lr->entry), text);
  g_signal_emit_by_name (lr->entry, "activate");
}

static void
link_row_close (LinkRow *lr)
{
  gtk_window_destroy (GTK_WINDOW (lr->window));
  wait_for_one_ref_or_gone (&lr->row);
  g_assert_null (lr->row);
}

/* A path given to "Use a Link…" is the file there, judged as one chosen
 * in the file chooser: probed, shown with its size, uploaded as a file. */
static void
test_link_local_path (Fixture       *fixture,
                      gconstpointer  user_data)
{
  LinkRow lr = { 0 };
  g_autofree char *uri = g_filename_to_uri (fixture->wav, NULL, NULL);
  g_autofree char *home_dir = g_build_filename (g_get_home_dir (), "file-row-XXXXXX", NULL);
  g_autofree char *home_wav = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *gone = NULL;
  TakeData data;

  g_assert_nonnull (g_mkdtemp (home_dir));
  home_wav = mh_test_write_wav (home_dir, "voice.wav", 1.0);

  link_row_open (&lr, "talking-photo", "audio");
  data.row = lr.row;

  /* An absolute path. */
  link_row_use (&lr, fixture->wav);
  data.path = fixture->wav;
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, "the typed path");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (lr.popover)));
  expected = expected_subtitle (fixture->wav, "0:02.5");
  g_assert_cmpstr (subtitle (lr.row), ==, expected);
  g_assert_nonnull (mh_file_row_get_media_info (lr.row));

  /* "~/" as people type it. */
  typed = g_strdup_printf ("  ~/%s/voice.wav ", strrchr (home_dir, '/') + 1);
  link_row_use (&lr, typed);
  data.path = home_wav;
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, "the path in the home folder");

  /* A file:// URI, as a file manager copies it. */
  link_row_use (&lr, uri);
  data.path = fixture->wav;
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, "the file:// URI");

  /* A path the chooser would refuse is refused the same way: the wrong
   * type in the popover at once, a missing file on the row after the check. */
  link_row_use (&lr, fixture->png);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lr.popover)));
  g_assert_true (gtk_widget_get_visible (child (lr.row, "link-error")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (lr.row, "link-error"))), "face.png"));
  gtk_popover_popdown (lr.popover);

  gone = g_build_filename (home_dir, "gone.wav", NULL);
  link_row_use (&lr, gone);
  wait_for_notify (lr.row, "error");
  g_assert_nonnull (strstr (mh_file_row_get_error (lr.row), "gone.wav"));
  g_assert_cmpstr (mh_file_row_get_value (lr.row), ==, fixture->wav);

  link_row_close (&lr);
  mh_test_rm_rf (home_dir);
}

static gboolean
row_is_allocated (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* Where Choose a File… was clicked, after the file came, is no Remove
 * button: a second click there opens the chooser again. */
static void
test_buttons_keep_places (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  MhFileRow *row = MH_FILE_ROW (mh_file_row_new ("talking-photo", "image"));
  GtkWidget *pick = child (row, "pick-button");
  GtkWidget *clear = child (row, "clear-button");
  GtkWidget *link = child (row, "link-button");
  graphene_rect_t pick_before, link_before, pick_after, link_after, clear_bounds;
  graphene_point_t center;
  GtkWidget *under;
  TakeData data = { row, fixture->png };

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, -1);
  gtk_window_present (GTK_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);
  /* The buttons are allocated in one pass of the layout. */
  mh_test_wait_for (row_is_allocated, pick, MH_TEST_TIMEOUT, "the row's layout");

  g_assert_false (gtk_widget_get_visible (clear));
  g_assert_true (gtk_widget_compute_bounds (pick, window, &pick_before));
  g_assert_true (gtk_widget_compute_bounds (link, window, &link_before));

  /* The file chosen, as the chooser's response does. */
  take_file (row, fixture->png);
  g_assert_true (gtk_widget_get_visible (clear));
  mh_test_wait_for (file_is_taken, &data, MH_TEST_TIMEOUT, "the file");
  /* The layout after the Remove button was shown. */
  mh_test_wait_for (row_is_allocated, clear, MH_TEST_TIMEOUT, "the Remove button's place");

  g_assert_true (gtk_widget_compute_bounds (pick, window, &pick_after));
  g_assert_true (gtk_widget_compute_bounds (link, window, &link_after));
  g_assert_true (gtk_widget_compute_bounds (clear, window, &clear_bounds));
  g_test_message ("Choose a File… at %g,%g before, %g,%g after; Remove at %g,%g",
                  pick_before.origin.x, pick_before.origin.y,
                  pick_after.origin.x, pick_after.origin.y,
                  clear_bounds.origin.x, clear_bounds.origin.y);

  /* What the pointer is over, where Choose a File… was. */
  graphene_rect_get_center (&pick_before, &center);
  under = gtk_widget_pick (window, center.x, center.y, GTK_PICK_DEFAULT);
  g_assert_nonnull (under);
  g_assert_true (under == pick || gtk_widget_is_ancestor (under, pick));
  g_assert_false (under == clear || gtk_widget_is_ancestor (under, clear));
  /* The others keep their places too; Remove comes before them. */
  g_assert_true (graphene_rect_equal (&pick_before, &pick_after));
  g_assert_true (graphene_rect_equal (&link_before, &link_after));
  g_assert_cmpfloat (clear_bounds.origin.x + clear_bounds.size.width, <=, link_after.origin.x);

  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_one_ref_or_gone (&row);
  g_assert_null (row);
}

/* ---- Screenshot ---------------------------------------------------------- */

static gboolean
media_has_frame (gpointer user_data)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (GTK_PICTURE (user_data));

  return paintable == NULL ||
         (GTK_IS_MEDIA_STREAM (paintable) && gtk_media_stream_get_error (GTK_MEDIA_STREAM (paintable)) != NULL) ||
         gdk_paintable_get_intrinsic_width (paintable) > 0;
}

static gboolean
widget_is_drawn (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

/* The window's size is what its contents ask for (a style, an icon or a
 * frame that arrived late makes the rows grow once more). A mapped window
 * keeps the height it was given, so one that is too short is asked for
 * the height its contents need, and the test waits until it has it. */
static gboolean
layout_settled (gpointer data)
{
  GtkWidget *window = data;
  int width = gtk_widget_get_width (window);
  int min = 0, nat = 0;

  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  if (min <= gtk_widget_get_height (window))
    return TRUE;

  if (GTK_IS_WINDOW (window))
    gtk_window_set_default_size (GTK_WINDOW (window), width, min);
  gtk_widget_queue_resize (window);
  return FALSE;
}

static void
save_screenshot (GtkWidget  *window,
                 const char *dir,
                 const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  /* Let a frame or two pass so every size and style is settled. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  mh_test_wait_for (layout_settled, window, MH_TEST_TIMEOUT, "the window's layout");
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  mh_app_test_save_png (window, path);
  g_test_message ("Screenshot: %s", path);
}

static void
test_screenshot (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *dir = g_getenv ("MH_SCREENSHOT_DIR");
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window, *box, *group;
  MhFileRow *empty, *image, *audio, *video, *youtube, *refused;

  if (dir == NULL)
    {
      g_test_skip ("MH_SCREENSHOT_DIR is not set");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, -1);
  gtk_widget_set_size_request (window, 420, -1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Inputs");
  gtk_box_append (GTK_BOX (box), group);
  gtk_window_set_child (GTK_WINDOW (window), box);

  empty = MH_FILE_ROW (mh_file_row_new ("talking-photo", "image"));
  image = MH_FILE_ROW (mh_file_row_new ("headshot", "image"));
  audio = MH_FILE_ROW (mh_file_row_new ("talking-photo", "audio"));
  video = MH_FILE_ROW (mh_file_row_new ("lip-sync", "video"));
  youtube = MH_FILE_ROW (mh_file_row_new ("lip-sync", "youtube"));
  refused = MH_FILE_ROW (mh_file_row_new ("lip-sync", "audio"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (empty));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (image));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (audio));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (video));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (youtube));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (refused));

  take_file (image, fixture->png);
  take_file (audio, fixture->wav);
  take_file (video, fixture->mp4);
  g_assert_true (mh_file_row_set_uri (youtube, "https://www.youtube.com/watch?v=dQw4w9WgXcQ", NULL));
  g_assert_false (set_file (refused, fixture->gif, NULL));

  gtk_window_present (GTK_WINDOW (window));
  mh_test_wait_for (widget_is_drawn, group, MH_TEST_TIMEOUT, "the window");
  mh_test_wait_for (picture_is_shown, image, MH_TEST_TIMEOUT, "the thumbnail");
  if (mh_file_row_get_duration (audio) < 0)
    wait_for_notify (audio, "duration");
  if (mh_file_row_get_duration (video) < 0)
    wait_for_notify (video, "duration");
  mh_test_wait_for (media_has_frame, child (video, "preview-picture"), MH_TEST_TIMEOUT, "a video frame");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_screenshot (window, dir, "file-row-light.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot (window, dir, "file-row-dark.png");

  /* The narrowest window the app allows: nothing may be cut off. */
  gtk_widget_set_size_request (window, 360, -1);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, -1);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_screenshot (window, dir, "file-row-360.png");

  /* The link popover, refusing a link that is not YouTube. */
  {
    GtkWidget *link_button = child (youtube, "link-button");
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (link_button)));

    gtk_menu_button_popup (GTK_MENU_BUTTON (link_button));
    gtk_editable_set_text (GTK_EDITABLE (child (youtube, "link-entry")), "https://vimeo.com/123");
    g_signal_emit_by_name (child (youtube, "use-link-button"), "clicked");
    mh_test_wait_for (widget_is_drawn, popover, MH_TEST_TIMEOUT, "the popover");
    save_screenshot (popover, dir, "file-row-link-light.png");
    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
    save_screenshot (popover, dir, "file-row-link-dark.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (link_button));
  }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Waits for the row to refuse the file at @path (the previous value stays)
 * and returns its sentence. */
static const char *
refuse_file (MhFileRow  *row,
             const char *path)
{
  g_autoptr(GError) error = NULL;

  /* The type is right: the probe decides, in a thread. */
  g_assert_true (set_file (row, path, &error));
  g_assert_no_error (error);
  wait_for_notify (row, "error");
  g_assert_cmpstr (subtitle (row), ==, mh_file_row_get_error (row));
  return mh_file_row_get_error (row);
}

/* Files judged by their content: a text renamed .mp4 in Lip Sync's video
 * slot, an audio-only MP4 there, a WAV header with no samples, a text
 * renamed .png. Each is refused with the probe's sentence; the previous
 * file stays. */
static void
test_fake_content (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char text[] = "Shot list for Tuesday, not a video.\n";
  g_autofree char *fake_mp4 = mh_test_write_file (fixture->tmp, "fake.mp4", text, sizeof text - 1);
  g_autofree char *fake_png = mh_test_write_file (fixture->tmp, "fake.png", text, sizeof text - 1);
  g_autofree char *no_samples = mh_test_write_wav (fixture->tmp, "silent.wav", 0);
  g_autofree char *sound_mp4 = mh_test_make_media (fixture->tmp, "sound.mp4",
                                                   "-f lavfi -i sine=duration=2 -c:a aac");
  MhFileRow *video = row_new ("lip-sync", "video");
  MhFileRow *audio = row_new ("lip-sync", "audio");
  MhFileRow *image = row_new ("headshot", "image");

  g_assert_cmpstr (refuse_file (video, fake_mp4), ==,
                   "fake.mp4 could not be read as a video: its content is no known kind of media.");
  g_assert_null (mh_file_row_get_value (video));
  g_assert_true (gtk_widget_has_css_class (find_subtitle (video), "error"));

  take_file (video, fixture->mp4);
  g_assert_cmpstr (refuse_file (video, fake_mp4), ==,
                   "fake.mp4 could not be read as a video: its content is no known kind of media.");
  g_assert_cmpstr (mh_file_row_get_value (video), ==, fixture->mp4);
  if (sound_mp4 != NULL)
    g_assert_cmpstr (refuse_file (video, sound_mp4), ==, "sound.mp4 is not a video: it holds no video stream.");
  g_assert_cmpstr (mh_file_row_get_value (video), ==, fixture->mp4);

  g_assert_cmpstr (refuse_file (audio, no_samples), ==, "silent.wav has no sound in it: its audio lasts 0 seconds.");
  g_assert_cmpstr (refuse_file (image, fake_png), ==,
                   "fake.png could not be read as an image: its content is no known kind of media.");

  finalize_row (video);
  finalize_row (audio);
  finalize_row (image);
}

/* What the probe read: a 25 fps video's frame rate and size, a two-hour
 * recording's length as h:mm:ss. */
static void
test_probed_info (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *long_wav = mh_test_write_wav (fixture->tmp, "interview.wav", 7200);
  g_autofree char *pal = mh_test_make_media (fixture->tmp, "pal.mp4",
                                             "-f lavfi -i testsrc=size=320x240:rate=25:duration=2"
                                             " -c:v libx264 -pix_fmt yuv420p");
  MhFileRow *audio = row_new ("lip-sync", "audio");
  MhFileRow *video = row_new ("lip-sync", "video");
  g_autofree char *expected = expected_subtitle (long_wav, "2:00:00.0");
  const MhMediaInfo *info;

  take_file (audio, long_wav);
  g_assert_cmpstr (subtitle (audio), ==, expected);
  g_assert_cmpfloat_with_epsilon (mh_file_row_get_duration (audio), 7200, 0.05);
  g_assert_cmpfloat (mh_file_row_get_fps (audio), ==, 0);

  if (pal != NULL)
    {
      g_autoptr(MhMediaInfo) from_property = NULL;

      take_file (video, pal);
      info = mh_file_row_get_media_info (video);
      g_assert_nonnull (info);
      g_assert_cmpfloat_with_epsilon (mh_file_row_get_fps (video), 25, 0.001);
      g_assert_cmpuint (info->width, ==, 320);
      g_assert_cmpuint (info->height, ==, 240);
      g_assert_cmpfloat_with_epsilon (mh_file_row_get_duration (video), 2, 0.05);
      g_object_get (video, "media-info", &from_property, NULL);
      g_assert_cmpfloat (from_property->fps, ==, info->fps);
    }

  /* A link has no probed info. */
  g_assert_true (mh_file_row_set_uri (video, "https://example.com/clip.mp4", NULL));
  g_assert_null (mh_file_row_get_media_info (video));
  g_assert_cmpfloat (mh_file_row_get_fps (video), ==, 0);

  finalize_row (audio);
  finalize_row (video);
}

/* A recording above the plan's upload limit (a sparse WAV of 460 MB) is
 * taken with a warning line that names its size and the plan's limit. */
static void
test_huge_warning (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* 8 kHz 16-bit mono: 16,000 bytes a second. */
  g_autofree char *huge = mh_test_write_wav (fixture->tmp, "speech.wav", (460e6 - 44) / 16000);
  MhFileRow *row = row_new ("talking-photo", "audio");
  const char *free_warning = "speech.wav is 460.0\u00a0MB: the Free plan allows uploads of at most 200.0\u00a0MB.";
  const char *yours = "speech.wav is 460.0\u00a0MB: your Free plan allows uploads of at most 200.0\u00a0MB.";
  g_autofree char *line = NULL;

  take_file (row, huge);
  g_assert_cmpstr (mh_file_row_get_warning (row), ==, free_warning);
  g_assert_nonnull (strstr (subtitle (row), free_warning));
  g_assert_true (gtk_widget_has_css_class (find_subtitle (row), "warning"));
  g_assert_null (mh_file_row_get_error (row));
  g_assert_cmpstr (mh_file_row_get_value (row), ==, huge);

  mh_file_row_set_plan (row, "free");
  g_assert_cmpstr (mh_file_row_get_warning (row), ==, yours);
  line = g_strdup_printf ("\n%s", yours);
  g_assert_true (g_str_has_suffix (subtitle (row), line));

  /* The Creator plan uploads 2 GB. */
  mh_file_row_set_plan (row, "creator");
  g_assert_null (mh_file_row_get_warning (row));
  g_assert_null (strstr (subtitle (row), "allows uploads of at most"));
  g_assert_false (gtk_widget_has_css_class (find_subtitle (row), "warning"));

  finalize_row (row);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  adw_init ();
  /* Link the app's resources in: the row's template lives there. */
  g_assert_nonnull (mh_app_get_resource ());

#define ADD(path, func) \
  g_test_add ("/file-row/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/file-row/empty-rows", test_empty_rows);
  ADD ("image", test_image);
  ADD ("audio", test_audio);
  ADD ("video", test_video);
  ADD ("wrong-type", test_wrong_type);
  ADD ("missing", test_missing);
  ADD ("empty-file", test_empty_file);
  ADD ("url", test_url);
  ADD ("youtube", test_youtube);
  ADD ("link-popover", test_link_popover);
  ADD ("chooser", test_chooser);
  ADD ("clear", test_clear);
  ADD ("value-property", test_value_property);
  ADD ("drop", test_drop);
  ADD ("paste", test_paste);
  ADD ("screenshot", test_screenshot);
  ADD ("fake-content", test_fake_content);
  ADD ("probed-info", test_probed_info);
  ADD ("huge-warning", test_huge_warning);
  ADD ("link-local-path", test_link_local_path);
  ADD ("buttons-keep-places", test_buttons_keep_places);

#undef ADD

  return g_test_run ();
}
