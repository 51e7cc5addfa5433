import type { LanguageModel } from 'ai';
import type { Config } from '../../agent/config.ts';
import { createModel } from '../../agent/model.ts';
import type { Runtime } from '../../agent/runtime.ts';

/** A chat's model and the configuration that names it. */
export interface ChatChoice {
  config: Config;
  model: LanguageModel;
}

/**
 * The model each conversation uses: the deployment's default unless /model chose another of HERMES_MODELS. The
 * choice is read from the session store only when there is a choice to make, so a one-model deployment pays no
 * extra request per message.
 */
export class ChatModels {
  /** One configuration object per model, so the caches keyed on it (media store, transcriber) keep working. */
  private readonly built = new Map<string, Promise<ChatChoice>>();

  constructor(private readonly runtime: Runtime) {}

  get available(): string[] {
    return this.runtime.config.models;
  }

  async chosen(sessionKey: string): Promise<string> {
    const fallback = this.runtime.config.model;
    if (this.available.length < 2) return fallback;
    const { model } = await this.runtime.sessions.loadSettings(sessionKey);
    // A model dropped from HERMES_MODELS since it was chosen falls back to the default.
    return model && this.available.includes(model) ? model : fallback;
  }

  /**
   * The chat's model and the configuration that names it: what the model can read (images, PDFs) and where the
   * prompt's cache points go depend on the model the chat chose, not on the deployment's default.
   */
  async forChat(sessionKey: string): Promise<ChatChoice> {
    const id = await this.chosen(sessionKey);
    if (id === this.runtime.config.model) return { config: this.runtime.config, model: this.runtime.model };
    let choice = this.built.get(id);
    if (!choice) {
      const config = { ...this.runtime.config, model: id };
      choice = createModel(config).then((model) => ({ config, model }));
      // A model that failed to build is tried again by the next message, not remembered as failed.
      choice.catch(() => this.built.delete(id));
      this.built.set(id, choice);
    }
    return choice;
  }

  async choose(sessionKey: string, id: string): Promise<void> {
    const settings = await this.runtime.sessions.loadSettings(sessionKey);
    await this.runtime.sessions.saveSettings(sessionKey, { ...settings, model: id });
  }
}
