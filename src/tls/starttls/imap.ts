import { printable } from './coded-reply.js';
import { MAX_COMMANDS_BEFORE_UPGRADE, tooManyCommands, type StarttlsDialogue } from './protocol.js';

const CAPABILITIES = 'IMAP4rev1 STARTTLS LOGINDISABLED';
const CLIENT_TAG = 'a1';
/** Untagged lines ("* CAPABILITY …") a server may send before its tagged answer. */
const MAX_UNTAGGED_LINES = 50;

/** IMAP STARTTLS, RFC 9051 §6.2.1 (and RFC 3501): "* OK" greeting, "a1 STARTTLS", "a1 OK". */
export const imap: StarttlsDialogue = {
  label: 'IMAP',

  async accept(dialogue, hostname) {
    await dialogue.send(`* OK [CAPABILITY ${CAPABILITIES}] ${hostname} tlskit IMAP ready\r\n`);
    for (let count = 0; count < MAX_COMMANDS_BEFORE_UPGRADE; count++) {
      const line = await dialogue.readLine();
      const match = /^(\S+) +(\S+)/.exec(line);
      if (!match) {
        await dialogue.send('* BAD expected a tag and a command\r\n');
        continue;
      }
      const [, tag, command = ''] = match;
      switch (command.toUpperCase()) {
        case 'CAPABILITY':
          await dialogue.send(`* CAPABILITY ${CAPABILITIES}\r\n${tag} OK CAPABILITY completed\r\n`);
          break;
        case 'STARTTLS':
          return `${tag} OK Begin TLS negotiation now\r\n`;
        case 'NOOP':
          await dialogue.send(`${tag} OK NOOP completed\r\n`);
          break;
        case 'LOGOUT':
          await dialogue.send(`* BYE tlskit logging out\r\n${tag} OK LOGOUT completed\r\n`);
          throw dialogue.error('the client logged out before STARTTLS');
        case 'LOGIN':
        case 'AUTHENTICATE':
          await dialogue.send(`${tag} NO [PRIVACYREQUIRED] use STARTTLS first\r\n`);
          break;
        default:
          await dialogue.send(`${tag} BAD unknown command or not allowed before STARTTLS\r\n`);
      }
    }
    throw tooManyCommands(dialogue);
  },

  async request(dialogue) {
    const greeting = await dialogue.readLine();
    // PREAUTH would skip authentication, and with it the chance to upgrade (RFC 9051 §7.1.4).
    if (!/^\* OK\b/i.test(greeting)) {
      throw dialogue.error(`the server greeted with "${printable(greeting)}", not "* OK"`);
    }
    await dialogue.send(`${CLIENT_TAG} STARTTLS\r\n`);
    for (let count = 0; count < MAX_UNTAGGED_LINES; count++) {
      const line = await dialogue.readLine();
      if (!line.startsWith(`${CLIENT_TAG} `)) continue;
      if (/^\S+ OK\b/i.test(line)) return;
      throw dialogue.error(`the server answered STARTTLS with "${printable(line)}"`);
    }
    throw dialogue.error(`the server sent ${MAX_UNTAGGED_LINES} lines without answering STARTTLS`);
  },
};
