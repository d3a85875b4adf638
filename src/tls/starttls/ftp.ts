import { expectReplyCode, readCodedReply } from './coded-reply.js';
import { MAX_COMMANDS_BEFORE_UPGRADE, tooManyCommands, type StarttlsDialogue } from './protocol.js';

/** FTP AUTH TLS, RFC 4217 §4: 220 greeting, "AUTH TLS", 234. */
export const ftp: StarttlsDialogue = {
  label: 'FTP',

  async accept(dialogue, hostname) {
    await dialogue.send(`220 ${hostname} tlskit FTP ready\r\n`);
    for (let count = 0; count < MAX_COMMANDS_BEFORE_UPGRADE; count++) {
      const [command = '', argument = ''] = (await dialogue.readLine()).split(' ');
      switch (command.toUpperCase()) {
        case 'AUTH':
          // RFC 4217 §6: TLS, and the older names TLS-C and SSL, all mean "TLS on this channel".
          if (['TLS', 'TLS-C', 'SSL'].includes(argument.trim().toUpperCase())) {
            return '234 AUTH TLS successful\r\n';
          }
          await dialogue.send('504 AUTH type not supported\r\n');
          break;
        case 'FEAT':
          await dialogue.send('211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n211 End\r\n');
          break;
        case 'SYST':
          await dialogue.send('215 UNIX Type: L8\r\n');
          break;
        case 'NOOP':
          await dialogue.send('200 NOOP ok\r\n');
          break;
        case 'QUIT':
          await dialogue.send('221 Goodbye\r\n');
          throw dialogue.error('the client quit before AUTH TLS');
        default:
          await dialogue.send('530 Use AUTH TLS first\r\n');
      }
    }
    throw tooManyCommands(dialogue);
  },

  async request(dialogue) {
    expectReplyCode(dialogue, await readCodedReply(dialogue, 'server'), 220, 'greeted with');
    await dialogue.send('AUTH TLS\r\n');
    const answer = await readCodedReply(dialogue, 'server');
    expectReplyCode(dialogue, answer, 234, 'answered AUTH TLS with');
  },
};
