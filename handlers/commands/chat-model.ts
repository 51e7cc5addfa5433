import type { LanguageModel } from 'ai';
import type { Config } from '../../agent/config.ts';
import { createModel } from '../../agent/model.ts';
import type { Runtime } from '../../agent/runtime.ts';

/**
 * The model each conversation uses: the deployment's default unless /model chose another of HERMES_MODELS. The
 * choice is read from the session store only when there is a choice to make, so a one-model deployment pays no
 * extra request per message.
 */
export class ChatModels {
  private readonly built = new Map<string, Promise<LanguageModel>>();

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
  async forChat(sessionKey: string): Promise<{ config: Config; model: LanguageModel }> {
    const id = await this.chosen(sessionKey);
    if (id === this.runtime.config.model) return { config: this.runtime.config, model: this.runtime.model };
    const config = { ...this.runtime.config, model: id };
    let model = this.built.get(id);
    if (!model) {
      model = createModel(config);
      this.built.set(id, model);
    }
    return { config, model: await model };
  }

  async choose(sessionKey: string, id: string): Promise<void> {
    const settings = await this.runtime.sessions.loadSettings(sessionKey);
    await this.runtime.sessions.saveSettings(sessionKey, { ...settings, model: id });
  }
}
