import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type ConversationObject, type ConversationType, ObjectGrant as ObjectGrantSchema } from '@talk/protocol';

/** One entry of a token's `obj` claim, normalised: which objects, and as what their conversation may be created. */
export interface ObjectGrant {
  /** `type:id`, or `type:*` for every object of the type. */
  pattern: string;
  /** The types the holder may create a missing conversation of such an object as; `group` unless the host says. */
  types: ConversationType[];
}

/** Most entries one token's `obj` claim may hold: more is a host listing objects it should pattern instead. */
export const MAX_OBJECT_GRANTS = 256;

/** The types an object's conversation is created as when the grant names none: invitation-only, no password. */
export const DEFAULT_OBJECT_TYPES: ConversationType[] = ['group'];

const checkGrant = TypeCompiler.Compile(ObjectGrantSchema);

/** The grants of an `obj` claim; none when absent, null when it is not a list of valid grants. */
export function parseObjectGrants(claim: unknown): ObjectGrant[] | null {
  if (claim === undefined) return [];
  if (!Array.isArray(claim) || claim.length > MAX_OBJECT_GRANTS) return null;
  const grants: ObjectGrant[] = [];
  for (const entry of claim) {
    if (!checkGrant.Check(entry)) return null;
    grants.push(
      typeof entry === 'string'
        ? { pattern: entry, types: DEFAULT_OBJECT_TYPES }
        : { pattern: entry.pattern, types: entry.types ?? DEFAULT_OBJECT_TYPES },
    );
  }
  return grants;
}

/** Whether `pattern` covers `object`: the same type, and the same id or `*`. */
export function covers(pattern: string, object: ConversationObject): boolean {
  const colon = pattern.indexOf(':');
  const type = pattern.slice(0, colon);
  const id = pattern.slice(colon + 1);
  return type === object.type && (id === '*' || id === object.id);
}

/**
 * The grant that lets its holder open `object`'s conversation, or undefined. An exact grant wins over a pattern,
 * so that a host can widen the types for one object within a family.
 */
export function grantFor(
  grants: readonly ObjectGrant[] | undefined,
  object: ConversationObject,
): ObjectGrant | undefined {
  const matching = (grants ?? []).filter((grant) => covers(grant.pattern, object));
  return matching.find((grant) => !grant.pattern.endsWith(':*')) ?? matching[0];
}
