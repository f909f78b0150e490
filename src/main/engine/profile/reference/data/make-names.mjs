/**
 * Rebuilds reference/data/names.ts: first names and surnames used as reference lists by
 * the profiler's name detectors. French lists are written here by hand (the most frequent first
 * names of people born 1940–2010 and the most frequent surnames in France, from public INSEE
 * statistics as the author knows them); foreign lists come from @faker-js/faker's locale data
 * (MIT licence; a devDependency of the project), restricted to locales whose lists are real
 * names (en first names; de, it, es, pl, pt, nl, cs surnames and first names).
 *
 *   node src/main/engine/profile/reference/data/make-names.mjs
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allLocales } from '@faker-js/faker';

const FR_FIRST = `
Jean Pierre Michel André Philippe Alain Bernard Jacques Daniel Christian Patrick Nicolas Christophe
Frédéric Stéphane Laurent Sébastien Julien David Olivier Thierry Éric Eric Pascal François Gérard
Jean-Pierre Jean-Claude Jean-Marc Jean-Luc Jean-Baptiste Jean-François Jean-Michel Jean-Paul
Jean-Louis Jean-Jacques Jean-Marie Jean-Yves Jean-Charles Jean-Noël Jean-Guy Jean-Philippe Marc
Thomas Alexandre Antoine Maxime Guillaume Kévin Kevin Mathieu Matthieu Romain Vincent Benoît Benoit
Jérôme Jerome Hugo Lucas Léo Leo Louis Gabriel Arthur Raphaël Raphael Enzo Nathan Théo Theo Mathis
Clément Clement Quentin Baptiste Adrien Florian Damien Cédric Cedric Yannick Franck Hervé Herve
Didier Gilles Serge Yves René Rene Roger Marcel Joël Joel Dominique Lionel Ludovic Loïc Loic Gaël
Yann Noël Mohamed Mohammed Karim Mehdi Rachid Youssef Samir Ahmed Bilal Nabil Hamza Grégoire
Aurélien Aurelien Jérémy Jeremy Rémi Remi Timothée Côme Anthony Jordan Dylan Killian Kylian
Corentin Valentin Axel Tristan Emmanuel Régis Joseph Henri Paul Georges Louis-Marie Pierre-Yves
Paul-Henri Marc-Antoine Aymeric Bastien Gaëtan Gaetan Jonathan Mickaël Mickael Michaël Fabrice
Bruno Denis Arnaud Xavier Benjamin Samuel Sylvain Guy Claude Robert Raymond Roland Maurice Lucien
Marius Albert Émile Emile Gaston Fernand Léon Leon Eugène Auguste Victor Charles Édouard Edouard
Félix Felix Jules Martin Simon Noah Ethan Adam Sacha Tom Timéo Maël Mael Nolan Evan Aaron Liam
Mattéo Matteo Ilyes Rayan Yanis Ayoub Amine Ibrahim Ismaël Moussa Mamadou Abdel Abdelkader
Ali Omar Hassan Hicham Khalid Mustapha Saïd Said Farid Kamel Malik Nordine Sofiane Walid Yacine
Manuel José Jose João Joao Antonio Carlos Luis Fernando Francisco Pedro Miguel Paulo Rui Mario
Giovanni Marco Luca Stefan Igor Ivan Dimitri Boris Cyril Cyrille Alexis Florent Jimmy Johan
Steve Steven Teddy Tony Willy Wilfried Dorian Erwan Gwenaël Ronan Tanguy Brice Jessy Lilian
Morgan Mathias Matthias Gauthier Gautier Thibault Thibaut Thibaud Victorien Augustin Hippolyte
Marceau Gustave Octave Léonard Leonard Lenny Sami Adem Yassine Ilian Nael Naël Wassim Younes
Marie Nathalie Isabelle Sylvie Catherine Françoise Francoise Martine Christine Monique Sandrine
Valérie Valerie Stéphanie Stephanie Céline Celine Aurélie Aurelie Julie Émilie Emilie Camille
Laura Léa Lea Manon Chloé Chloe Emma Jade Louise Alice Inès Ines Sarah Anaïs Anais Mélanie
Melanie Élodie Elodie Audrey Caroline Virginie Patricia Brigitte Nicole Hélène Helene Véronique
Veronique Anne Sophie Laurence Florence Corinne Karine Delphine Agnès Agnes Béatrice Beatrice
Chantal Danielle Josiane Jacqueline Annie Odile Geneviève Genevieve Marie-Hélène Marie-Claire
Marie-Christine Marie-Thérèse Anne-Sophie Anne-Marie Marie-Laure Marie-Pierre Marie-France
Marie-Noëlle Marie-José Marie-Claude Marie-Paule Marie-Jeanne Marie-Line Pauline Margaux Clémence
Clemence Océane Oceane Lucie Justine Mathilde Charlotte Juliette Zoé Zoe Lola Maëlys Noémie Noemie
Amandine Gaëlle Gaelle Maëva Maeva Coralie Fatima Nadia Samira Yasmine Leïla Leila Sofia Amina
Aïcha Aicha Lina Éloïse Eloise Héloïse Heloise Bérénice Cécile Cecile Solène Solene Estelle
Pascale Murielle Muriel Ghislaine Jocelyne Huguette Colette Paulette Thérèse Therese Joëlle Joelle
Noëlle Jessica Laetitia Lætitia Vanessa Marine Morgane Elise Élise Claire Sabrina Nadège Nadege
Jeanne Madeleine Simone Denise Germaine Suzanne Yvette Yvonne Marcelle Renée Lucienne Andrée
Odette Raymonde Gisèle Gisele Ginette Micheline Mireille Michèle Michele Michelle Evelyne
Danièle Arlette Liliane Claudine Bernadette Françoise Dominique Évelyne Marguerite Henriette
Juliette Rose Léna Lena Ambre Mia Anna Lou Agathe Romane Clara Eva Élise Alix Victoire Capucine
Apolline Margot Constance Eugénie Gabrielle Héléna Louna Nina Jeanne Mila Iris Lya Inaya Ines
Maryam Myriam Meriem Nour Salma Sana Hafsa Khadija Malika Naïma Naima Rachida Souad Zohra Djamila
Karima Latifa Houria Hakima Farida Aminata Fatou Mariama Awa Maria Ana Sandra Paula Carla Sara
Elena Natalia Olga Irina Tatiana Svetlana Katia Sonia Sylvia Silvia Linda Cindy Kelly Jennifer
Cynthia Mélissa Melissa Priscilla Océane Alexandra Alexia Marion Anaëlle Axelle Perrine Fanny
Albane Bénédicte Benedicte Blandine Charline Clarisse Danielle Déborah Deborah Edith Édith
Elisabeth Élisabeth Emmanuelle Fabienne Frédérique Gwenaëlle Ingrid Isaure Joséphine Josephine
Laure Léonie Leonie Lise Lisa Magali Magalie Maud Mylène Mylene Nelly Ophélie Ophelie Prisca
Rachel Roxane Sabine Séverine Severine Sonia Tiphaine Typhaine Valentine Victoria Viviane Zélie
`;

const FR_LAST = `
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau
Vincent Muller Müller Faure Andre André Mercier Blanc Guerin Guérin Boyer Garnier Chevalier
Francois François Legrand Gauthier Garcia Perrin Robin Clement Clément Morin Nicolas Henry Roussel
Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noel Noël Meyer Dufour Meunier Brun
Blanchard Giraud Joly Riviere Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Gérard
Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas
Lacroix Olivier Philippe Bourgeois Pierre Benoit Benoît Rey Leclerc Payet Rolland Leclercq
Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis
Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier Marty Aubry
Guyot Carre Carré Charles Renault Charpentier Menard Ménard Maillard Baron Bertin Bailly Herve
Hervé Schneider Fernandez Le Gall Collet Leger Léger Bouvier Julien Prevost Prévost Millet
Perrot Daniel Le Roux Cousin Germain Breton Besson Langlois Remy Rémy Le Goff Pelletier Leveque
Lévêque Perrier Leblanc Barre Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud
Rodriguez Guichard Gillet Etienne Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva
Bouchet Gay Lemaitre Lemaître Benard Bénard Marechal Maréchal Humbert Reynaud Antoine Hoarau Perret
Barthelemy Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte
Gomez Gomes Dos Santos Ferreira Pereira Rodrigues Martins Fernandes Oliveira Lopes Alves Ribeiro
Moreira Teixeira Sousa Costa Carvalho Pinto Mendes Marques Nunes Vieira Gonçalves Goncalves
Hernandez Gonzalez Diaz Moreno Munoz Muñoz Alvarez Romero Ruiz Navarro Torres Dominguez Ramos
Gil Serrano Blanco Suarez Ortega Rubio Molina Delgado Castro Ortiz Marin Marín Sanz Iglesias
Nguyen Tran Le Pham Hoang Dang Bui Vo Ngo Duong Ly Benali Benaissa Bensaid Mansouri Haddad
Bouzid Belkacem Brahimi Cherif Chérif Hamidi Khelifi Saidi Meziane Amrani Ziani Slimani Aouad
Diallo Traore Traoré Diop Ndiaye Sow Ba Fall Camara Keita Kone Koné Coulibaly Cisse Cissé Sylla
Diarra Toure Touré Bamba Konate Konaté Sy Kane Gueye Faye Mendy Lefort Lebon Leduc Lefranc
Leconte Lemaréchal Leroi Lesage Letellier Levasseur Lhomme Joubert Jourdan Labbe Labbé Lacombe
Lagarde Laine Lainé Lamotte Langlais Lebreton Leclair Ledoux Legall Legendre Legros Lejeune
Lemarchand Lemonnier Lenoir Lepage Leprince Lerouge Levy Lévy Loiseau Lombard Maillet Mainguy
Marchetti Marion Martel Masse Mathis Maurice Mauger Maurin Meunier Millet Mignot Moine Monier
Moreau Mouton Navarro Neveu Olivier Pages Pagès Paillard Parent Pascal Paul Pellerin Perret
Petitjean Pichon Pierre Pineau Piquet Poirier Pons Poulain Prat Prevot Prévot Raynaud Regnier
Régnier Renaud Rey Reynaud Riou Roger Rolland Roques Roussel Roy Ruiz Sabatier Salmon Samson
Sauvage Schmitt Schmidt Sellier Simonet Tanguy Texier Thibault Thierry Thomas Tournier Valentin
Vallée Vallee Verdier Vial Vidal Vigneron Voisin Wagner Weiss Zimmermann Albert Allard Arnould
Auger Baudry Bauer Bazin Beaumont Berthelot Besnard Bigot Billard Bodin Bonneau Bourdon Bousquet
Bouvet Briand Brunel Buisson Camus Carpentier Chartier Chauvet Chevrier Clerc Cochet Colas Courtois
Delmas Delorme Denis Devaux Didier Dumas Dumont Duval Ferrand Fischer Fleury Forestier Foucher
Fournier Fortin Gaillard Garnier Gaudin Gauthier Georges Gervais Gilles Girard Girault Godard
Gosselin Grand Granger Grenier Gros Guibert Guillon Guyon Hamel Hardy Hebert Hébert Herve Huet
Imbert Jacquot Jolly Joubert Jouan Jourdan Julien Lacroix Lafon Laurent Lebas Lebeau Leclerc
Le Bihan Le Corre Le Floch Le Guen Le Meur Le Moal Le Berre Kerbrat Guillou Tanguy Morvan Prigent
Abadie Andrieu Arnal Aubin Barbe Barret Baudin Bayle Blondel Boisson Bonnin Bouche Boulay Bouvier
Bruneau Chabert Chapuis Charrier Chauveau Cheval Combes Couderc Courtin Cros Daniel Dupré Dupre
Duret Durant Esnault Fabre Faure Favre Ferry Fouquet Gallet Garcia Gauvin Gay Giraud Goujon
Grandjean Guerin Guilbert Guillemin Jeanne Lacoste Lalande Lamotte Laroche Lebrun Leclercq Lefort
Legay Legrand Lelievre Lelièvre Leroux Maillot Marchand Marin Maury Michon Monnet Morand Moulin
`;

const EN_LAST = `
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster
Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno
West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro
Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman
Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason
Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren
Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne
Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight
Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry
Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval
Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler Valdez Harper Burke
Larson Santiago Maldonado Morrison Franklin Carlson Austin Dominguez Carr Lawson Jacobs Obrien
Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey Williamson Gilbert Dean Sims Espinoza
Howell Li Wong Reid Hanson Le McCoy Garrett Burton Fuller Wang Weber Welch Rojas Lucas Marquez
Fields Park Yang Little Banks Padilla Day Walsh Bowman Schultz Luna Fowler Mejia Davidson Acosta
Brewer May Holland Juarez Newman Pearson Curtis Cortez Douglas Schneider Joseph Barrett Navarro
Figueroa Keller Avila Wade Molina Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck
Lambert Miranda Byrd Craig Ayala Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming
Rhodes Shelton Schwartz Norris Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele
Vaughn Becker Holt Deleon Barker Terry Hale Leon Hail Benson Haynes Horton Miles Lyons Pham Graves
Bush Thornton Wolfe Warner Cabrera McKinney Mann Zimmerman Dawson Lara Fletcher Page McCarthy Love
Robles Cervantes Solis Erickson Reeves Chang Klein Salinas Fuentes Baldwin Daniel Simon Velasquez
Hardy Higgins Aguirre Lin Cummings Chandler Sharp Barber Bowen Ochoa Dennis Robbins Liu Ramsey
Francis Griffith Paul Blair Oconnor Cardenas Pacheco Cross Calderon Quinn Moss Swanson Chan Rivas
Khan Rodgers Serrano Fitzgerald Rosales Stevenson Christensen Manning Gill Curry McLaughlin
Harmon McGee Gross Doyle Garner Newton Burgess Reese Walton Blake Trujillo Adkins Brady Goodman
Roman Webster Goodwin Fischer Huang Potter Delacruz Montoya Todd Wu Hines Mullins Castaneda
Malone Cannon Tate Mack Sherman Hubbard Hodges Zhang Guerra Wolf Valencia Saunders Franco Rowe
Gallagher Farmer Hammond Hampton Townsend Ingram Wise Gallegos Clarke Barton Schroeder Maxwell
Waters Logan Camacho Strickland Norman Person Colon Parsons Frank Harrington Glover Osborne Buchanan
Casey Floyd Patton Ibarra Ball Tyler Suarez Bowers Orozco Salas Cobb Gibbs Andrade Bauer Conner
Moody Escobar McGuire Lloyd Mueller Hartman French Kramer McBride Pope Lindsey Velazquez Norton
McCormick Sparks Flynn Yates Hogan Marsh Macias Villanueva Zamora Pratt Stokes Owen Ballard Lang
Brock Villarreal Charles Drake Barrera Cain Patrick Pineda Burnett Mercado Santana Shepherd Bautista
Ali Shaffer Lamb Trevino McKenzie Hess Beil Olsen Cochran Morton Nash Wilkins Petersen Briggs Shah
Roth Nicholson Holloway Lozano Rangel Flowers Hoover Short Arias Mora Valenzuela Bryan Meyers
Weiss Underwood Bass Greer Summers Houston Carson Morrow Clayton Whitaker Decker Yoder Collier
Zuniga Carey Wilcox Melendez Poole Roberson Larsen Conley Davenport Copeland Massey Lam Huff
Rocha Cameron Jefferson Hood Monroe Anthony Pittman Huynh Randall Singleton Kirk Combs Mathis
Christian Skinner Bradford Richard Galvan Wall Boone Kirby Wilkinson Bridges Bruce Atkinson Velez
Meza Roy Vincent York Hodge Villa Abbott Allison Tapia Gates Chase Sosa Sweeney Farrell Wyatt
Dalton Horn Barron Phelps Yu Dickerson Heath Foley Atkins Mathews Bonilla Acevedo Benitez Zavala
Hensley Glenn Cisneros Harrell Shields Rubio Choi Huffman Boyer Garrison Arroyo Bond Kane Hancock
Callahan Dillon Cline Wiggins Grimes Arellano Melton Oneill Savage Ho Beltran Pitts Parrish Ponce
Rich Booth Koch Golden Ware Brennan McDowell Marks Cantu Humphrey Baxter Sawyer Clay Tanner Hutchinson
Kaur Berg Wiley Gilmore Russo Villegas Hobbs Keith Wilkerson Ahmed Beard McClain Montes Mata Rosario
Vang Walter Henson Oneal Mosley McClure Beasley Stephenson Snow Huerta Preston Vance Barry Johns
Eaton Blackwell Dyer Prince Macdonald Solomon Guevara Stafford English Hurst Woodard Cortes Shannon
Kemp Nolan McCullough Merritt Murillo Moon Salgado Strong Kline Cordova Barajas Roach Rosas Winters
Jacobson Lester Knox Bullock Kerr Leach Meadows Orr Davila Whitehead Pruitt Kent Conway McKee Barr
David Dejesus Marin Berger McIntyre Blankenship Gaines Palacios Cuevas Bartlett Durham Dorsey
McCall Odonnell Stein Browning Stout Lowery Sloan McLean Hendricks Calhoun Sexton Chung Gentry
Hull Duarte Ellison Nielsen Gillespie Buck Middleton Sellers Leblanc Esparza Hardin Bradshaw
McIntosh Howe Livingston Frost Glass Morse Knapp Herman Stark Bravo Noble Spears Weeks Corona
Frederick Buckley McFarland Hebert Enriquez Hickman Quintero Randolph Schaefer Walls Trejo House
Reilly Pennington Michael Conrad Giles Benjamin Crosby Fitzpatrick Donovan Mays Mahoney Valentine
Raymond Medrano Hahn McMillan Small Bentley Felix Peck Lucero Boyle Hanna Pace Rush Hurley Harding
McConnell Bernal Nava Ayers Everett Ventura Avery Pugh Mayer Bender Shepard McMahon Landry Case
Sampson Moses Magana Blackburn Dunlap Gould Duffy Vaughan Herring McKay Espinosa Rivers Farley
Bernard Ashley Friedman Potts Truong Costa Correa Blevins Nixon Clements Fry Delarosa Best Benton
Lugo Portillo Dougherty Crane Haley Phan Villalobos Blanchard Horne Finley Quintana Lynn Esquivel
Bean Dodson Mullen Xiong Hayden Cano Levy Huber Richmond Moyer Lim Frye Sheppard McCarty Avalos
Booker Waller Parra Woodward Jaramillo Krueger Rasmussen Brandt Peralta Donaldson Stuart Faulkner
Maynard Galindo Coffey Estes Sanford Burch Maddox Vo Oconnell Vu Andersen Spence McPherson Church
Schmitt Stanton Leal Cherry Compton Dudley Sierra Pollard Alfaro Hester Proctor Lu Hinton Novak
Good Madden McCann Terrell Jarvis Dickson Reyna Cantrell Mayo Branch Hendrix Rollins Rowland
Whitney Duke Odom Daugherty Travis Tang Archer Gunn Coates Hensley Fleming Guinness Wahlberg
`;

const norm = (s) => s.normalize('NFC').trim();
const split = (s) => s.split(/\s+/).map(norm).filter(Boolean);
const first = new Set(split(FR_FIRST));
const last = new Set(split(FR_LAST));
// Compound French surnames written with a space in the hand list above.
for (const s of [
  'Le Gall',
  'Le Roux',
  'Le Goff',
  'Da Silva',
  'Dos Santos',
  'Le Bihan',
  'Le Corre',
  'Le Floch',
  'Le Guen',
  'Le Meur',
  'Le Moal',
  'Le Berre',
])
  last.add(s);
for (const s of split(EN_LAST)) last.add(s);
const p = (loc) => allLocales[loc].person;
const addAll = (set, v) => {
  if (!v) return;
  for (const x of Array.isArray(v) ? v : Object.values(v).flat()) {
    if (typeof x === 'string' && /^[\p{L}' -]+$/u.test(x)) set.add(norm(x));
  }
};
for (const loc of [
  'en',
  'de',
  'it',
  'es',
  'pl',
  'pt_PT',
  'pt_BR',
  'nl',
  'cs_CZ',
  'sv',
  'da',
  'nb_NO',
]) {
  addAll(first, p(loc).first_name);
}
for (const loc of ['de', 'it', 'es', 'pl', 'pt_PT', 'pt_BR', 'cs_CZ', 'sv', 'da', 'nb_NO']) {
  addAll(last, p(loc).last_name);
}
// Drop the "Le"/"Da" particles left by the split of compounds: they are not names alone.
for (const w of ['Le', 'Da', 'Dos', 'De', 'Du']) last.delete(w);
const lines = (set) => {
  const arr = [...set].sort((a, b) => a.localeCompare(b, 'fr'));
  const out = [];
  let line = '';
  for (const w of arr) {
    const item = w.includes(' ') ? w.replace(/ /g, '_') : w;
    if (line.length + item.length + 1 > 98) {
      out.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + item;
  }
  if (line) out.push(line);
  return out.join('\n');
};
for (const s of [...first, ...last]) if (/[`$\\]/.test(s)) throw new Error(s);
const out = `/**
 * Reference lists of first names and surnames for the profiler's name detectors: French names
 * (hand-written from public INSEE frequency statistics) and common foreign names (English,
 * German, Italian, Spanish, Portuguese, Polish, Dutch, Czech, Scandinavian; foreign lists taken
 * from @faker-js/faker's locale data, MIT licence). Space-separated; \`_\` stands for a space
 * inside a compound surname ("Le_Gall").
 *
 * Generated by make-names.mjs: ${first.size} first names, ${last.size} surnames. Do not edit by hand.
 */
// prettier-ignore
export const FIRST_NAMES = \`
${lines(first)}
\`;

// prettier-ignore
export const LAST_NAMES = \`
${lines(last)}
\`;
`;
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'names.ts'), out);
