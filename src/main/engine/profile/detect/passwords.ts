/**
 * The most common passwords of published breach statistics (French and English lists: top
 * entries of the RockYou / "les mots de passe les plus utilisés en France" tables). A column
 * where many values are on this list holds plaintext passwords: nobody's first name or city is
 * "azerty123".
 */
import { keySet } from '../reference/normalize';

const COMMON = `
123456 123456789 12345678 12345 1234567 1234567890 111111 000000 123123 1234 123321 654321
password password1 password123 passw0rd motdepasse azerty azerty123 azertyuiop qwerty qwerty123
qwertyuiop abc123 iloveyou jetaime soleil doudou chouchou loulou marseille marseille13 psg
olivier nicolas thomas camille julien anthony alexandre maxime princesse princess sunshine
monkey dragon football baseball letmein welcome admin administrator master hello freedom
whatever shadow superman batman trustno1 michael jennifer jordan hunter ranger buster tigger
charlie daniel andrew joshua matthew ashley michelle jessica pepper ginger cookie summer
winter flower lovely babygirl secret secret123 bonjour coucou nounours chocolat pokemon
naruto minecraft starwars liverpool arsenal chelsea barcelona juventus 1q2w3e4r 1qaz2wsx
zaq12wsx qazwsx 147258369 159753 987654321 112233 121212 696969 666666 7777777 888888
abcdef abcd1234 a123456 aaaaaa test test123 toto toto123 user guest login changeme
sexy cricket hockey soccer killer computer internet samsung google mustang harley
pass 1022 killer1 blink182 fuckyou asshole biteme yankees maggie
`;

let set: Set<string> | null = null;

export function isCommonPassword(value: string): boolean {
  set ??= keySet(COMMON);
  return set.has(value.trim().toLowerCase());
}
