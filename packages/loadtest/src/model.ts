// The bandwidth model the measurements are held against. In a mesh every participant sends its video once per
// other participant and receives one stream from each, so both directions grow as b × (n − 1). Through an SFU
// each participant sends one stream (or its simulcast layers) whatever n is, and receives the layers it subscribed.

/** What a participant should send and receive, in Mbit/s of video payload. */
export interface ModelRates {
  /** Expected uplink. */
  upMbps: number;
  /** Expected downlink. */
  downMbps: number;
}

/** Mesh: b up and b down for each of the n − 1 others. */
export function meshModel(bitrateMbps: number, participants: number): ModelRates {
  const others = Math.max(0, participants - 1);
  return { upMbps: bitrateMbps * others, downMbps: bitrateMbps * others };
}

/**
 * SFU: the uplink is the sum of this participant's simulcast layers; the downlink is the layer it receives of each
 * other participant (the top one, for tiles as large as the source).
 */
export function sfuModel(ownLayersMbps: number, othersTopLayerMbps: readonly number[]): ModelRates {
  return { upMbps: ownLayersMbps, downMbps: othersTopLayerMbps.reduce((sum, layer) => sum + layer, 0) };
}

/** measured / model, or null when the model expects nothing. */
export function ratio(measured: number, model: number): number | null {
  return model > 0 ? measured / model : null;
}
