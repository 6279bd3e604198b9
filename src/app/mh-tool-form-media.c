/* mh-tool-form-media.c: the form's big preview and its timeline
 *
 * The preview shows the slot the tool table marks "previewed"; the timeline
 * sits above the typed time range, bound to it both ways, and draws the
 * local file that bounds the range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "mh-params.h"
#include "mh-tool-form-private.h"

void
mh_tool_form_build_preview (MhToolForm *self,
                            MhFileRow  *row)
{
  const MhAssetSlot *slot = mh_file_row_get_slot (row);

  self->preview_row = row;
  mh_media_preview_set_icon_name (self->preview, slot->type == MH_ASSET_VIDEO
                                                 ? "video-x-generic-symbolic"
                                                 : "image-x-generic-symbolic");
  mh_media_preview_set_empty_text (self->preview, slot->type == MH_ASSET_VIDEO
                                                  ? _("Choose a video to see it here")
                                                  : _("Choose a photo to see it here"));
  g_object_bind_property (row, "value", self->preview, "value", G_BINDING_SYNC_CREATE);
}

void
mh_tool_form_build_timeline (MhToolForm *self)
{
  GtkWidget *timeline_row = adw_preferences_row_new ();

  /* The timeline is the main control; the typed fields stay under it,
   * bound both ways, and the length and the limit come from the row. */
  self->timeline = MH_TIMELINE (mh_timeline_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (timeline_row), FALSE);
  gtk_widget_set_focusable (timeline_row, FALSE);
  gtk_widget_add_css_class (timeline_row, "timeline-row");
  /* The row is only a frame, but a screen reader announces it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (timeline_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline of the part to use"),
                                  -1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (timeline_row), GTK_WIDGET (self->timeline));
  adw_preferences_group_add (self->clip_group, timeline_row);

  self->time_row = MH_TIME_RANGE_ROW (mh_time_range_row_new ());
  adw_preferences_group_add (self->clip_group, GTK_WIDGET (self->time_row));
  g_object_bind_property (self->time_row, "duration", self->timeline, "duration", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->time_row, "max-clip", self->timeline, "max-clip", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->time_row, "start", self->timeline, "start",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->time_row, "end", self->timeline, "end",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* Where the preview shows the media the range cuts (Lip Sync's
   * video), Play Selection plays it there, picture and sound; else
   * (Talking Photo's speech) the timeline plays the file itself. */
  if (self->preview_row != NULL && mh_file_row_get_slot (self->preview_row)->bounds_time_range)
    g_object_bind_property (self->preview, "media-stream", self->timeline, "media-stream",
                            G_BINDING_SYNC_CREATE);
}

/* The timeline draws the local file that bounds the range (Talking Photo's
 * speech, Lip Sync's video) and, under a video, the local speech; a URL or
 * a saved item has no picture, only the handles over its length. */
static GFile *
local_file_of (MhFileRow *row)
{
  const char *value = mh_file_row_get_value (row);

  if (value == NULL || mh_asset_value_classify (value) != MH_ASSET_VALUE_FILE)
    return NULL;
  if (g_str_has_prefix (value, "file:"))
    return g_file_new_for_uri (value);
  return g_file_new_for_path (value);
}

void
mh_tool_form_update_timeline (MhToolForm *self,
                              GHashTable *params)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) speech = NULL;
  MhTimelineKind kind = MH_TIMELINE_KIND_AUTO;
  const MhOption *mode = NULL;
  const MhChoice *choice = NULL;

  for (guint i = 0; i < self->slot_rows->len; i++)
    {
      MhFileRow *row = g_ptr_array_index (self->slot_rows, i);
      const MhAssetSlot *slot = mh_file_row_get_slot (row);

      if (slot->bounds_time_range && file == NULL && (file = local_file_of (row)) != NULL)
        kind = slot->type == MH_ASSET_VIDEO ? MH_TIMELINE_KIND_VIDEO : MH_TIMELINE_KIND_AUDIO;
      else if (!slot->bounds_time_range && slot->type == MH_ASSET_AUDIO && speech == NULL)
        speech = local_file_of (row);
    }

  mh_timeline_set_file (self->timeline, file, kind);
  mh_timeline_set_secondary_file (self->timeline, kind == MH_TIMELINE_KIND_VIDEO ? speech : NULL);

  /* "Realistic clips are at most 5:00.0" when a handle stops there. */
  if (self->tool->clip_option != NULL)
    mode = mh_tool_find_option (self->tool, self->tool->clip_option);
  if (mode != NULL)
    choice = mh_option_resolve_choice (mode, mh_params_get (params, mode->key) ?: mode->default_value);
  mh_timeline_set_max_clip (self->timeline, mh_tool_max_clip_seconds (self->tool, params),
                            choice != NULL && choice->max_clip_seconds > 0 ? _(choice->label) : NULL);
}
