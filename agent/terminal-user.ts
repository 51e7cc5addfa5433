/** The one user of the terminal chat (`npm start` without a bot token): the owner of the machine. */
export const TERMINAL_USER_ID = 'local';
