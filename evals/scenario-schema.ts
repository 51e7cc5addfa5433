import { z } from 'zod';
import { PROVIDERS } from '../agent/providers.ts';

/** The ReplayModelServer's exchange shape, so scenario files and the model tests' fixtures read the same way. */
const exchangeSchema = z.strictObject({
  requestContains: z.array(z.string()).optional(),
  requestInOrder: z.array(z.string()).optional(),
  status: z.number().int().min(100).max(599).optional(),
  delayMs: z.number().int().nonnegative().optional(),
  response: z.json(),
});

const textMatcher = z.union([z.string(), z.strictObject({ regex: z.string(), flags: z.string().optional() })]);

const repliesExpectation = z.strictObject({
  count: z.number().int().nonnegative().optional(),
  minCount: z.number().int().nonnegative().optional(),
  /** One matcher per reply, in order; a string must equal the sent text (HTML as Telegram receives it). */
  texts: z.array(textMatcher).optional(),
  /** Every reply goes to this chat; defaults to the chat of the step. */
  chatId: z.number().int().optional(),
  /** Every reply carries this forum topic; null means none may. */
  threadId: z.number().int().nullable().optional(),
  parseMode: z.literal('HTML').nullable().optional(),
  maxLength: z.number().int().positive().optional(),
  /** Texts the replies, joined in order, must contain. */
  contain: z.array(z.string()).optional(),
  /** The characters all replies show together (markup not counted): nothing of a long answer lost or sent twice. */
  totalLength: z.strictObject({ min: z.number().int().nonnegative(), max: z.number().int().positive() }).optional(),
  /** Every reply answers the step's message as a reply to it (reply_parameters), as in a busy group. */
  inReply: z.boolean().optional(),
});

const jobExpectation = z.strictObject({
  name: z.string(),
  kind: z.enum(['once', 'interval', 'cron']).optional(),
  display: z.string().optional(),
  /** null: repeats forever. */
  repeat: z.number().int().positive().nullable().optional(),
  completedRuns: z.number().int().nonnegative().optional(),
  state: z.enum(['scheduled', 'paused']).optional(),
  /** The skills it loads ahead of its prompt, in order; [] for none. */
  skills: z.array(z.string()).optional(),
});

const stateExpectation = z.strictObject({
  /** The complete job list of a chat (or one of its topics), in creation order. */
  jobs: z.array(z.strictObject({ chatId: z.number().int(), threadId: z.number().int().optional(), list: z.array(jobExpectation) })).optional(),
  skills: z
    .array(
      z.strictObject({
        path: z.string(),
        content: z.string().optional(),
        contains: z.array(z.string()).optional(),
        absent: z.literal(true).optional(),
      }),
    )
    .optional(),
  /** The complete entry list of one notebook, oldest first. */
  memory: z.array(z.strictObject({ userId: z.string(), target: z.enum(['memory', 'user']), entries: z.array(z.string()) })).optional(),
  /** Received files kept in the media store (S3 on the deployed pipeline), by the key turns name them with. */
  media: z.array(z.string().min(1)).optional(),
  /** The conversation window the next message of that chat (or topic, or group member) would see. */
  sessions: z
    .array(
      z.strictObject({
        chatId: z.number().int(),
        threadId: z.number().int().optional(),
        /** In a group: the member whose conversation it is, where members each have their own (Hermes' default). */
        userId: z.number().int().optional(),
        turns: z.number().int().nonnegative().optional(),
        roles: z.array(z.enum(['user', 'assistant', 'tool', 'system'])).optional(),
        contains: z.array(z.string()).optional(),
        lacks: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** The EventBridge schedule behind a job, as the Scheduler stand-in stores it. */
const scheduleExpectation = z.strictObject({
  /** The job's name, as the cronjob tool gave it. */
  job: z.string().min(1),
  /** Its ScheduleExpression: at(...), rate(...) or cron(...). */
  expression: textMatcher.optional(),
  /** Its ScheduleExpressionTimezone. */
  timezone: z.string().optional(),
  /** When the service first invokes it, in minutes after the step was sent (within a minute). */
  firstRunInMinutes: z.number().nonnegative().optional(),
});

const stepExpectation = z.strictObject({
  /** HTTP status of every delivery of a message step. */
  status: z.number().int().default(200),
  /** Outcome the cron handler reports for a fire step. */
  fire: z.enum(['delivered', 'silent', 'duplicate', 'failed']).optional(),
  replies: repliesExpectation.optional(),
  /** Substrings none of this step's model requests may contain (e.g. history forgotten after /new). */
  requestsExclude: z.array(z.string()).optional(),
  state: stateExpectation.optional(),
  /** The EventBridge schedules of jobs, as the service would run them. */
  schedules: z.array(scheduleExpectation).optional(),
});

const common = {
  label: z.string().optional(),
  /** The step lands on a new container (a cold start): nothing held in memory by the last one carries over. */
  coldStart: z.literal(true).optional(),
  /** The model answers this step consumes, in order; the step fails unless it makes exactly these requests. */
  exchanges: z.array(exchangeSchema).default([]),
  expect: stepExpectation.default({ status: 200 }),
};

/** A file sent with the message, from test/fixtures/media/, served by the Bot API stand-in through getFile. */
const attachment = z.strictObject({
  kind: z.enum(['photo', 'document', 'voice', 'video_note']),
  file: z.string().regex(/^[\w.-]+$/),
  fileName: z.string().optional(),
  mimeType: z.string().optional(),
  /** Seconds, for a voice note or a video message. */
  duration: z.number().int().positive().optional(),
  /** What the Amazon Transcribe stand-in hears in a voice note or a video message (it cannot listen). */
  heard: z.string().optional(),
});

const messageStep = z.strictObject({
  ...common,
  message: z.strictObject({
    /** The text, or the caption of an attachment. */
    text: z.string().min(1).optional(),
    attachment: attachment.optional(),
    /** Sends this as an edit (`edited_message`) of the message of step `step`, edited `secondsLater` after it was sent. */
    edits: z.strictObject({ step: z.number().int().nonnegative(), secondsLater: z.number().int().nonnegative() }).optional(),
    userId: z.number().int().positive(),
    /** The sender's first name, which the model reads in a group; defaults to Ada. */
    firstName: z.string().min(1).optional(),
    /** Defaults to the user's private chat; negative ids are supergroups. */
    chatId: z.number().int().optional(),
    threadId: z.number().int().positive().optional(),
    /** Defaults to a fresh id per step; repeat an earlier one to redeliver that update. */
    updateId: z.number().int().nonnegative().optional(),
    /** Posts the same update this many times at once, as Telegram does when it retries. */
    deliveries: z.number().int().min(1).max(10).default(1),
  }).refine((message) => message.text !== undefined || message.attachment !== undefined, 'a message needs text, an attachment, or both'),
});

const cronStep = z.strictObject({
  ...common,
  cron: z.strictObject({
    /** Name of a job an earlier step created; its schedule's target input is what EventBridge would deliver. */
    job: z.string().min(1),
    /**
     * The tick being fired; with the job id it is the fire's dedup key. `due`: the time the service would first fire
     * the job's schedule, for a one-time reminder set relative to when the scenario runs.
     */
    scheduledTime: z.union([z.iso.datetime(), z.literal('due')]),
  }),
});

const stepSchema = z.union([messageStep, cronStep]);

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, like the file name'),
  description: z.string().min(1),
  provider: z.enum(PROVIDERS).default('deepseek'),
  setup: z
    .strictObject({
      /** Variables on top of the pipeline's, e.g. TELEGRAM_ALLOWED_USERS or HERMES_TIMEZONE. */
      env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
      skills: z.array(z.strictObject({ path: z.string().min(1), content: z.string() })).default([]),
      memory: z.array(z.strictObject({ userId: z.string(), target: z.enum(['memory', 'user']), text: z.string().min(1) })).default([]),
    })
    .default({ env: {}, skills: [], memory: [] }),
  steps: z.array(stepSchema).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = z.infer<typeof stepSchema>;
export type MessageStep = z.infer<typeof messageStep>;
export type CronStep = z.infer<typeof cronStep>;
export type StepExpectation = z.infer<typeof stepExpectation>;
export type ScheduleExpectation = z.infer<typeof scheduleExpectation>;
export type RepliesExpectation = z.infer<typeof repliesExpectation>;
export type StateExpectation = z.infer<typeof stateExpectation>;
export type TextMatcher = z.infer<typeof textMatcher>;

export function isMessageStep(step: Step): step is MessageStep {
  return 'message' in step;
}
