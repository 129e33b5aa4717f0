package dev.tgregistry.bench.generate;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Realistic Telegram identities for the benchmarks: Cyrillic (Russian/Ukrainian), Latin and Persian names, with
 * Latin usernames derived from them the way people pick handles (transliterated name, name + digits, nicknames).
 * Deterministic for a seed. Usernames are unique within one generator (Telegram usernames are).
 */
public final class Names {

    /** One identity; any field may be null. */
    public record Person(String username, String firstName, String lastName, String languageCode) {
    }

    // ---- Cyrillic: {first name, transliteration}; last names in male form {Cyrillic, Latin}
    private static final String[][] RU_MALE = {
            {"Александр", "alexander"}, {"Алексей", "alexey"}, {"Андрей", "andrey"}, {"Антон", "anton"},
            {"Артём", "artem"}, {"Борис", "boris"}, {"Вадим", "vadim"}, {"Василий", "vasily"},
            {"Виктор", "viktor"}, {"Владимир", "vladimir"}, {"Владислав", "vlad"}, {"Глеб", "gleb"},
            {"Григорий", "grigory"}, {"Даниил", "daniil"}, {"Денис", "denis"}, {"Дмитрий", "dmitry"},
            {"Евгений", "evgeny"}, {"Егор", "egor"}, {"Иван", "ivan"}, {"Игорь", "igor"}, {"Илья", "ilya"},
            {"Кирилл", "kirill"}, {"Константин", "konstantin"}, {"Лев", "lev"}, {"Максим", "maxim"},
            {"Матвей", "matvey"}, {"Михаил", "mikhail"}, {"Никита", "nikita"}, {"Николай", "nikolay"},
            {"Олег", "oleg"}, {"Павел", "pavel"}, {"Пётр", "petr"}, {"Роман", "roman"}, {"Руслан", "ruslan"},
            {"Сергей", "sergey"}, {"Станислав", "stas"}, {"Степан", "stepan"}, {"Тимур", "timur"},
            {"Тарас", "taras"}, {"Фёдор", "fedor"}, {"Юрий", "yury"}, {"Ярослав", "yaroslav"}, {"Богдан", "bogdan"},
    };
    private static final String[][] RU_FEMALE = {
            {"Александра", "alexandra"}, {"Алина", "alina"}, {"Алёна", "alena"}, {"Анастасия", "nastya"},
            {"Анна", "anna"}, {"Валерия", "valeria"}, {"Вера", "vera"}, {"Вероника", "veronika"},
            {"Виктория", "vika"}, {"Галина", "galina"}, {"Дарья", "dasha"}, {"Диана", "diana"},
            {"Евгения", "evgenia"}, {"Екатерина", "katya"}, {"Елена", "elena"}, {"Елизавета", "liza"},
            {"Жанна", "zhanna"}, {"Ирина", "irina"}, {"Карина", "karina"}, {"Кристина", "kristina"},
            {"Ксения", "ksenia"}, {"Любовь", "lyuba"}, {"Людмила", "lyudmila"}, {"Маргарита", "margarita"},
            {"Марина", "marina"}, {"Мария", "maria"}, {"Надежда", "nadya"}, {"Наталья", "natasha"},
            {"Оксана", "oksana"}, {"Ольга", "olga"}, {"Полина", "polina"}, {"Светлана", "sveta"},
            {"София", "sofia"}, {"Татьяна", "tanya"}, {"Ульяна", "ulyana"}, {"Юлия", "yulia"}, {"Яна", "yana"},
    };
    private static final String[][] RU_LAST = {
            {"Иванов", "ivanov"}, {"Смирнов", "smirnov"}, {"Кузнецов", "kuznetsov"}, {"Попов", "popov"},
            {"Васильев", "vasiliev"}, {"Петров", "petrov"}, {"Соколов", "sokolov"}, {"Михайлов", "mikhailov"},
            {"Новиков", "novikov"}, {"Фёдоров", "fedorov"}, {"Морозов", "morozov"}, {"Волков", "volkov"},
            {"Алексеев", "alekseev"}, {"Лебедев", "lebedev"}, {"Семёнов", "semenov"}, {"Егоров", "egorov"},
            {"Павлов", "pavlov"}, {"Козлов", "kozlov"}, {"Степанов", "stepanov"}, {"Николаев", "nikolaev"},
            {"Орлов", "orlov"}, {"Андреев", "andreev"}, {"Макаров", "makarov"}, {"Никитин", "nikitin"},
            {"Захаров", "zakharov"}, {"Зайцев", "zaitsev"}, {"Соловьёв", "soloviev"}, {"Борисов", "borisov"},
            {"Яковлев", "yakovlev"}, {"Григорьев", "grigoriev"}, {"Романов", "romanov"}, {"Воробьёв", "vorobiev"},
            {"Сергеев", "sergeev"}, {"Кузьмин", "kuzmin"}, {"Фролов", "frolov"}, {"Белов", "belov"},
            {"Медведев", "medvedev"}, {"Тарасов", "tarasov"}, {"Шевченко", "shevchenko"}, {"Бондаренко", "bondarenko"},
            {"Коваленко", "kovalenko"}, {"Ткаченко", "tkachenko"}, {"Мельник", "melnik"}, {"Гончаренко", "goncharenko"},
    };

    // ---- Latin
    private static final String[] LATIN_FIRST = {
            "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Daniel",
            "Matthew", "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kevin", "Brian", "George", "Alex",
            "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
            "Emily", "Emma", "Olivia", "Sophia", "Mia", "Charlotte", "Amelia", "Harper", "Ella", "Grace",
            "Lucas", "Mateo", "Santiago", "Diego", "Carlos", "Javier", "Lucia", "Valentina", "Camila", "Isabella",
            "Lukas", "Jonas", "Felix", "Leon", "Hannah", "Lena", "Marco", "Luca", "Giulia", "Francesca",
            "Mehmet", "Emre", "Elif", "Zeynep", "Pierre", "Louis", "Chloe", "Manon", "Jan", "Piotr",
            "Aleksandra", "Max", "Nick", "Chris", "Sam", "Kate", "Anna", "Maria", "Ali", "Omar",
    };
    private static final String[] LATIN_LAST = {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin",
            "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
            "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
            "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Rossi", "Russo", "Ferrari", "Esposito",
            "Yilmaz", "Kaya", "Demir", "Dubois", "Durand", "Lefebvre", "Kowalski", "Nowak", "Silva", "Santos",
            "Oliveira", "Costa", "Fernandez", "Perez", "Sanchez", "Ramirez", "Torres", "Novak", "Horvat", "Jansen",
    };

    // ---- Persian: {name, transliteration}
    private static final String[][] FA_FIRST = {
            {"علی", "ali"}, {"محمد", "mohammad"}, {"رضا", "reza"}, {"حسین", "hossein"}, {"مهدی", "mahdi"},
            {"امیر", "amir"}, {"حسن", "hassan"}, {"سعید", "saeed"}, {"مجید", "majid"}, {"احمد", "ahmad"},
            {"کامران", "kamran"}, {"بهرام", "bahram"}, {"داریوش", "dariush"}, {"آرش", "arash"}, {"پویا", "pouya"},
            {"سینا", "sina"}, {"نیما", "nima"}, {"فرهاد", "farhad"}, {"میلاد", "milad"}, {"بابک", "babak"},
            {"زهرا", "zahra"}, {"فاطمه", "fatemeh"}, {"مریم", "maryam"}, {"سارا", "sara"}, {"نرگس", "narges"},
            {"لیلا", "leila"}, {"شیرین", "shirin"}, {"نازنین", "nazanin"}, {"پریسا", "parisa"}, {"مینا", "mina"},
            {"الهام", "elham"}, {"آزاده", "azadeh"}, {"نگار", "negar"}, {"یاسمن", "yasaman"}, {"ستاره", "setareh"},
    };
    private static final String[][] FA_LAST = {
            {"رضایی", "rezaei"}, {"محمدی", "mohammadi"}, {"حسینی", "hosseini"}, {"احمدی", "ahmadi"},
            {"کریمی", "karimi"}, {"موسوی", "mousavi"}, {"جعفری", "jafari"}, {"صادقی", "sadeghi"},
            {"رحیمی", "rahimi"}, {"کاظمی", "kazemi"}, {"قاسمی", "ghasemi"}, {"نوری", "nouri"},
            {"تهرانی", "tehrani"}, {"شیرازی", "shirazi"}, {"اصفهانی", "esfahani"}, {"امینی", "amini"},
            {"یوسفی", "yousefi"}, {"حیدری", "heidari"}, {"عباسی", "abbasi"}, {"نجفی", "najafi"},
            {"طاهری", "taheri"}, {"فرهادی", "farhadi"}, {"کیانی", "kiani"}, {"سلیمانی", "soleimani"},
    };

    private static final String[] NICK_WORDS = {
            "crypto", "night", "owl", "wolf", "fox", "tiger", "shadow", "pixel", "code", "dev", "coder", "ninja",
            "king", "queen", "star", "moon", "sun", "dark", "light", "blue", "red", "green", "lucky", "happy",
            "super", "mega", "ultra", "real", "official", "true", "wild", "free", "cool", "smart", "python",
            "java", "js", "data", "ml", "ai", "web", "cyber", "geek", "nerd", "gamer", "trader", "coach", "mentor",
    };
    private static final String[] EMOJI = {"🌸", "🔥", "🚀", "✨", "💫", "🌙", "⚡", "🍀", "😎", "🎧"};

    private final SplittableRandom random;
    private final Set<String> usernames = new HashSet<>();

    public Names(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A person that has at least a first name (what a live Telegram update always carries). */
    public Person telegramUser() {
        return person(false);
    }

    /**
     * A person as stored in the registry: about 2% have no names at all (legacy sightings), about 30% have no
     * username, about 45% no last name.
     */
    public Person storedUser() {
        return person(true);
    }

    private Person person(boolean allowNameless) {
        if (allowNameless && random.nextInt(100) < 2) {
            return new Person(null, null, null, random.nextInt(3) == 0 ? "ru" : null);
        }
        int kind = random.nextInt(100);
        String first;
        String last;
        String firstLatin;
        String lastLatin;
        String lang;
        if (kind < 45) { // Cyrillic
            boolean female = random.nextBoolean();
            String[] f = pick(female ? RU_FEMALE : RU_MALE);
            String[] l = pick(RU_LAST);
            first = f[0];
            firstLatin = f[1];
            boolean ukrainian = l[0].endsWith("о") || l[0].endsWith("к");
            last = female && !ukrainian ? l[0] + "а" : l[0];
            lastLatin = female && !ukrainian ? l[1] + "a" : l[1];
            lang = random.nextInt(10) < 8 ? (ukrainian && random.nextBoolean() ? "uk" : "ru") : "en";
        } else if (kind < 82) { // Latin
            first = pick(LATIN_FIRST);
            last = pick(LATIN_LAST);
            firstLatin = first.toLowerCase(Locale.ROOT);
            lastLatin = last.toLowerCase(Locale.ROOT);
            String[] langs = {"en", "en", "en", "es", "de", "it", "tr", "fr", "pl", "pt"};
            lang = pick(langs);
        } else if (kind < 97) { // Persian
            String[] f = pick(FA_FIRST);
            String[] l = pick(FA_LAST);
            first = f[0];
            last = l[0];
            firstLatin = f[1];
            lastLatin = l[1];
            lang = random.nextInt(10) < 7 ? "fa" : "en";
        } else { // nickname-only display names
            String w = pick(NICK_WORDS);
            first = Character.toUpperCase(w.charAt(0)) + w.substring(1) + " " + pick(EMOJI);
            last = null;
            firstLatin = w;
            lastLatin = pick(NICK_WORDS);
            lang = random.nextBoolean() ? "en" : "ru";
        }
        if (random.nextInt(100) < 3 && last != null) {
            first = first + " " + pick(EMOJI);
        }
        if (random.nextInt(100) < 45) {
            last = null;
        }
        if (random.nextInt(100) < 8) {
            lang = null;
        }
        String username = random.nextInt(100) < 70 ? username(firstLatin, lastLatin) : null;
        return new Person(username, first, last, lang);
    }

    private String username(String first, String last) {
        String base = switch (random.nextInt(9)) {
            case 0, 1 -> first + "_" + last;
            case 2 -> first + last;
            case 3 -> last + "_" + first.charAt(0);
            case 4 -> first + "_" + last.charAt(0);
            case 5 -> first + (1970 + random.nextInt(40));
            case 6 -> pick(NICK_WORDS) + "_" + first;
            case 7 -> first + "_" + pick(NICK_WORDS);
            default -> pick(NICK_WORDS) + pick(NICK_WORDS) + random.nextInt(100);
        };
        if (random.nextInt(10) == 0) { // some keep capitals (usernames are case-insensitive but case-preserving)
            base = Character.toUpperCase(base.charAt(0)) + base.substring(1);
        }
        if (base.length() < 5) {
            base = base + "_" + (10 + random.nextInt(90));
        }
        if (base.length() > 28) {
            base = base.substring(0, 28);
        }
        String candidate = base;
        while (!usernames.add(candidate.toLowerCase(Locale.ROOT))) {
            candidate = base + random.nextInt(random.nextBoolean() ? 100 : 10_000);
        }
        return candidate;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String[] pick(String[][] values) {
        return values[random.nextInt(values.length)];
    }
}
