import { expectReplyCode, printable, readCodedReply } from './coded-reply.js';
import { MAX_COMMANDS_BEFORE_UPGRADE, tooManyCommands, type StarttlsDialogue } from './protocol.js';

/** SMTP STARTTLS, RFC 3207: 220 greeting, EHLO (lists STARTTLS), STARTTLS, 220. */
export const smtp: StarttlsDialogue = {
  label: 'SMTP',

  async accept(dialogue, hostname) {
    await dialogue.send(`220 ${hostname} ESMTP tlskit\r\n`);
    for (let count = 0; count < MAX_COMMANDS_BEFORE_UPGRADE; count++) {
      const line = await dialogue.readLine();
      const [verb = '', ...rest] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          await dialogue.send(`250-${hostname}\r\n250-8BITMIME\r\n250 STARTTLS\r\n`);
          break;
        case 'HELO':
          await dialogue.send(`250 ${hostname}\r\n`);
          break;
        case 'STARTTLS':
          // RFC 3207 §4: "STARTTLS" takes no parameters.
          if (rest.join('').trim() === '') return '220 2.0.0 Ready to start TLS\r\n';
          await dialogue.send('501 5.5.4 Syntax error (no parameters allowed)\r\n');
          break;
        case 'NOOP':
        case 'RSET':
          await dialogue.send('250 2.0.0 OK\r\n');
          break;
        case 'QUIT':
          await dialogue.send('221 2.0.0 Bye\r\n');
          throw dialogue.error('the client quit before STARTTLS');
        default:
          await dialogue.send('530 5.7.0 Must issue a STARTTLS command first\r\n');
      }
    }
    throw tooManyCommands(dialogue);
  },

  async request(dialogue, hostname) {
    expectReplyCode(dialogue, await readCodedReply(dialogue, 'server'), 220, 'greeted with');
    await dialogue.send(`EHLO ${hostname}\r\n`);
    const ehlo = await readCodedReply(dialogue, 'server');
    expectReplyCode(dialogue, ehlo, 250, 'answered EHLO with');
    if (!ehlo.lines.some((line) => /^STARTTLS\b/i.test(line))) {
      throw dialogue.error(
        `the server does not offer STARTTLS (EHLO lists ${ehlo.lines.slice(1).map(printable).join(', ') || 'nothing'})`,
      );
    }
    await dialogue.send('STARTTLS\r\n');
    expectReplyCode(
      dialogue,
      await readCodedReply(dialogue, 'server'),
      220,
      'answered STARTTLS with',
    );
  },
};
