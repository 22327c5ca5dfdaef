// Sounds synthesised with WebAudio (no audio files): one recipe per SoundKind, panned by the
// direction the server gives relative to where the player looks, quieter for faint kinds, and
// muffled ones (blocked line of sight) through a low-pass filter. Sounds carry no distance, so
// loudness follows the kind; muffled is also quieter, as it is heard at half the radius.
import { SoundKind } from "../gen/trespasser/game/v1/game_pb.js";
import { aimToRadians, type HeardSound } from "./wire.js";

interface Recipe {
  /** Noise burst (true) or a tone. */
  noise: boolean;
  frequency: number;
  durationS: number;
  gain: number;
}

const RECIPES: Partial<Record<SoundKind, Recipe>> = {
  [SoundKind.FOOTSTEP_WALK]: { noise: true, frequency: 900, durationS: 0.05, gain: 0.15 },
  [SoundKind.FOOTSTEP_RUN]: { noise: true, frequency: 700, durationS: 0.07, gain: 0.25 },
  [SoundKind.GUNSHOT]: { noise: true, frequency: 2500, durationS: 0.18, gain: 0.6 },
  [SoundKind.EXPLOSION]: { noise: true, frequency: 300, durationS: 0.8, gain: 0.9 },
  [SoundKind.SLICE_DESTROYED]: { noise: false, frequency: 160, durationS: 0.12, gain: 0.3 },
};

/** Stereo position in [-1, 1] of a sound from `direction` while facing `facing` (radians). */
export function panFor(direction: number): number {
  // Screen x of the source relative to the player: the view does not rotate with the aim.
  return Math.max(-1, Math.min(1, Math.cos(aimToRadians(direction))));
}

export class MatchAudio {
  private ctx: AudioContext | undefined;
  private noise: AudioBuffer | undefined;

  /** Creates or resumes the context; call from a user gesture (autoplay rules). */
  unlock(): void {
    try {
      if (this.ctx === undefined) {
        const Ctor = globalThis.AudioContext;
        if (Ctor === undefined) {
          return;
        }
        this.ctx = new Ctor();
        const length = Math.floor(this.ctx.sampleRate * 0.8);
        this.noise = this.ctx.createBuffer(1, length, this.ctx.sampleRate);
        const data = this.noise.getChannelData(0);
        for (let i = 0; i < length; i++) {
          data[i] = Math.random() * 2 - 1;
        }
      }
      if (this.ctx.state === "suspended") {
        void this.ctx.resume();
      }
    } catch {
      // No audio on this page: the match plays on silently.
    }
  }

  play(sound: HeardSound, own = false): void {
    const ctx = this.ctx;
    const recipe = RECIPES[sound.kind];
    if (ctx === undefined || recipe === undefined || ctx.state !== "running") {
      return;
    }
    const now = ctx.currentTime;
    const gain = ctx.createGain();
    const level = recipe.gain * (sound.muffled ? 0.45 : 1) * (own ? 0.7 : 1);
    gain.gain.setValueAtTime(level, now);
    gain.gain.exponentialRampToValueAtTime(0.001, now + recipe.durationS);
    let source: AudioScheduledSourceNode;
    let tail: AudioNode;
    if (recipe.noise && this.noise !== undefined) {
      const src = ctx.createBufferSource();
      src.buffer = this.noise;
      const band = ctx.createBiquadFilter();
      band.type = "bandpass";
      band.frequency.value = recipe.frequency;
      band.Q.value = 0.7;
      src.connect(band);
      source = src;
      tail = band;
    } else {
      const osc = ctx.createOscillator();
      osc.type = "square";
      osc.frequency.setValueAtTime(recipe.frequency, now);
      osc.frequency.exponentialRampToValueAtTime(recipe.frequency / 3, now + recipe.durationS);
      source = osc;
      tail = osc;
    }
    if (sound.muffled) {
      const low = ctx.createBiquadFilter();
      low.type = "lowpass";
      low.frequency.value = 400;
      tail.connect(low);
      tail = low;
    }
    tail.connect(gain);
    let out: AudioNode = gain;
    if (!own && typeof ctx.createStereoPanner === "function") {
      const pan = ctx.createStereoPanner();
      pan.pan.value = panFor(sound.direction);
      gain.connect(pan);
      out = pan;
    }
    out.connect(ctx.destination);
    source.start(now);
    source.stop(now + recipe.durationS + 0.05);
  }

  close(): void {
    void this.ctx?.close().catch(() => undefined);
    this.ctx = undefined;
  }
}
