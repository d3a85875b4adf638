import { printable } from './coded-reply.js';
import { MAX_COMMANDS_BEFORE_UPGRADE, tooManyCommands, type StarttlsDialogue } from './protocol.js';

/** POP3 STLS, RFC 2595 §4: "+OK" greeting, "STLS", "+OK". */
export const pop3: StarttlsDialogue = {
  label: 'POP3',

  async accept(dialogue, hostname) {
    await dialogue.send(`+OK ${hostname} tlskit POP3 ready\r\n`);
    for (let count = 0; count < MAX_COMMANDS_BEFORE_UPGRADE; count++) {
      const [command = ''] = (await dialogue.readLine()).split(' ');
      switch (command.toUpperCase()) {
        case 'CAPA':
          // RFC 2449 §5: a multi-line list ended by a lone ".".
          await dialogue.send('+OK Capability list follows\r\nSTLS\r\n.\r\n');
          break;
        case 'STLS':
          return '+OK Begin TLS negotiation\r\n';
        case 'QUIT':
          await dialogue.send('+OK tlskit signing off\r\n');
          throw dialogue.error('the client quit before STLS');
        default:
          await dialogue.send('-ERR use STLS first\r\n');
      }
    }
    throw tooManyCommands(dialogue);
  },

  async request(dialogue) {
    const greeting = await dialogue.readLine();
    if (!greeting.startsWith('+OK')) {
      throw dialogue.error(`the server greeted with "${printable(greeting)}", not "+OK"`);
    }
    await dialogue.send('STLS\r\n');
    const answer = await dialogue.readLine();
    if (!answer.startsWith('+OK')) {
      throw dialogue.error(`the server answered STLS with "${printable(answer)}"`);
    }
  },
};
