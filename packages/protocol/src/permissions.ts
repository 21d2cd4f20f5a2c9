// Plain constants in a module of their own, without the schemas: a client that needs only these does not bundle
// the schema library (a module of TypeBox schemas cannot be tree-shaken: each schema is built when it loads).

/**
 * What a participant may do, as bit flags (after Nextcloud Talk's attendee permissions). A conversation has
 * defaults; a participant may have an override; owners and moderators may always do everything.
 */
export const Permission = {
  /** Start a call that is not running yet. */
  StartCall: 1,
  /** Join a running call. */
  JoinCall: 2,
  /** Send audio in a call. */
  PublishAudio: 4,
  /** Send camera video in a call. */
  PublishVideo: 8,
  /** Share the screen in a call. */
  PublishScreen: 16,
  /** Post messages, reactions and attachments. */
  Chat: 32,
} as const;

/** Every permission at once: the default of a new conversation. */
export const ALL_PERMISSIONS = 63;
