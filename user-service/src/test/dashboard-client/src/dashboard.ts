// The original dashboard's calls (docs/ORIGINAL-DASHBOARD.md), written against the TypeScript types that
// openapi-typescript generates from docs/openapi/user-service.yaml and compiled with tsc --strict by
// DashboardClientTypesTest. Each function reads what the dashboard's pages read; a route, parameter, header, body
// or member that the document stops describing (or describes with the wrong type) makes this file fail to compile.
import type { components, operations } from "./generated/user-service";

type Schemas = components["schemas"];
type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
type Ok<Op extends keyof operations> = operations[Op]["responses"] extends { 200: infer R } ? R : never;
type Json<Op extends keyof operations> = Ok<Op> extends { content: { "application/json": infer T } } ? T : never;
type JsonBody<Op extends keyof operations> =
    operations[Op]["requestBody"] extends { content: { "application/json": infer B } } | undefined ? B : never;
/** `true` only when the 200 answer documents header H as a string (an undocumented one is `unknown`). */
type DocumentsHeader<Op extends keyof operations, H extends string> =
    Ok<Op> extends { headers: { [K in H]?: infer T } } ? (unknown extends T ? never : T extends string ? true : never) : never;

export type Problem = Schemas["Problem"];

export class RegistryError extends Error {
    constructor(readonly status: number, readonly problem: Problem) {
        super(problem.error);
    }
}

/** Where the dashboard's server-side proxy (or the service itself) answers, and its fetch. */
export interface Registry {
    readonly baseUrl: string;
    readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
}

type QueryValues = Record<string, string | number | boolean | undefined | null>;

function url(registry: Registry, path: string, query: QueryValues = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
        if (value !== undefined && value !== null) {
            search.set(name, String(value));
        }
    }
    const text = search.toString();
    return registry.baseUrl + path + (text ? "?" + text : "");
}

async function send(registry: Registry, method: string, target: string, init: RequestInit = {}): Promise<Response> {
    const response = await registry.fetch(target, { ...init, method });
    if (!response.ok) {
        throw new RegistryError(response.status, (await response.json()) as Problem);
    }
    return response;
}

async function json<T>(registry: Registry, method: string, target: string, init: RequestInit = {}): Promise<T> {
    return (await (await send(registry, method, target, init)).json()) as T;
}

const userPath = (id: operations["getUser"]["parameters"]["path"]["id"]): string => "/api/users/" + encodeURIComponent(id);

// ---------------------------------------------------------------------------------------------- users (section 3)

/** The users page: `page`, `limit=50`, and search / stream / status only when set (3.4). */
export async function usersPage(registry: Registry, page: number, filter: { search?: string; stream?: string; status?: -1 | 0 | 1 | 2 } = {}) {
    const query: Query<"listUsersPaged"> = { page, limit: 50, ...filter };
    const list = await json<Json<"listUsersPaged">>(registry, "GET", url(registry, "/api/users/list", query));
    if (list.success !== true) {
        throw new Error("the list did not succeed");
    }
    const pages: number = list.totalPages;
    const rows = list.users.map((user) => ({
        id: user.user_id,
        name: user.display_name,
        username: user.username ?? "",
        lastActivity: user.last_activity === null ? "—" : new Date(user.last_activity).toLocaleString(),
        activity: user.total_bookings + user.total_events + user.total_free_lessons,
        stream: user.latest_stream ?? "",
        status: user.latest_payment_status,
    }));
    return { rows, page: list.page, pages, total: list.total };
}

/** The user card (3.5): success, user with totals, profile or null, bookings, events, freeLessons (camelCase). */
export async function userCard(registry: Registry, id: string) {
    const detail = await json<Json<"getUser">>(registry, "GET", url(registry, userPath(id)));
    if (detail.success !== true) {
        throw new Error("no user");
    }
    const user = detail.user;
    const activity: number = user.total_bookings + user.total_events + user.total_free_lessons;
    const nickname: string | null = detail.profile === null ? null : detail.profile.nickname;
    const lessons: Schemas["FreeLesson"][] = detail.freeLessons;
    const confirmed = detail.bookings.filter((booking) => booking.confirmed === 2).map((booking) => booking.course_stream);
    const lastEvent = detail.events.length > 0 ? detail.events[0].event_type : null;
    return { id: user.user_id, name: user.display_name, activity, nickname, lessons: lessons.length, confirmed, lastEvent };
}

/** The search box (3.1) and the recipients' buttons fed by search?stats=true. */
export async function searchUsers(registry: Registry, q: string) {
    const query: Query<"searchUsers"> = { q, limit: 50 };
    const hits = await json<Schemas["SearchHit"][]>(registry, "GET", url(registry, "/api/users/search", query));
    return hits.map((hit) => ({ id: hit.user_id, label: hit.display_name, former: hit.matched_former }));
}

export async function recipientButtons(registry: Registry) {
    const query: Query<"searchUsers"> = { stats: "true" };
    const stats = await json<Schemas["SearchStats"]>(registry, "GET", url(registry, "/api/users/search", query));
    const perStream: number[] = ["3rd_stream", "4th_stream", "5th_stream"].map((stream) => stats.streamStats[stream] ?? 0);
    const counts: number[] = [stats.nonCourseUsers, stats.hackathonUsers];
    return { perStream, counts };
}

/** Recipients: by stream, non-course, hackathon, deduplicated by their string ids (section 2), then validated (6). */
export async function recipients(registry: Registry, stream: string): Promise<Schemas["Validation"]> {
    const byStream: Query<"listConfirmedStudentsByStream"> = { stream, limit: 10000 };
    const students = await json<Json<"listConfirmedStudentsByStream">>(registry, "GET", url(registry, "/api/users/by-stream", byStream));
    const nonCourse = await audience(registry);
    const hackathon = await json<Json<"listHackathonUsers">>(registry, "GET", url(registry, "/api/users/hackathon"));
    const ids = new Set<string>([...students, ...nonCourse, ...hackathon].map((user) => user.user_id));
    const body: JsonBody<"validateRecipients"> = { user_ids: [...ids] };
    return json<Json<"validateRecipients">>(registry, "POST", url(registry, "/api/users/validate"), {
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
}

/** The ids a broadcast should go to: those validate answers "ok" (not unknown, blocked, deleted, or without a private chat). */
export function sendable(validation: Schemas["Validation"]): string[] {
    const counted: number = validation.status_counts.ok;
    const ids = Object.entries(validation.statuses).filter(([, status]) => status === "ok").map(([id]) => id);
    return ids.length === counted ? ids : [];
}

/** What Telegram answered to the dashboard's own sends, reported back (docs/API.md "send-results"). */
export async function reportSendResults(registry: Registry, results: JsonBody<"reportSendResults">["results"]):
        Promise<Json<"reportSendResults">> {
    const body: JsonBody<"reportSendResults"> = { results };
    return json<Json<"reportSendResults">>(registry, "POST", url(registry, "/api/users/send-results"), {
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
}

/** A Bot API answer to sendMessage, as the dashboard's sender receives it, turned into a send result. */
export function sendResult(userId: string, at: Date,
                           answer: { ok: true } | { ok: false; error_code: number; description?: string }): Schemas["SendResultItem"] {
    return answer.ok ? { user_id: userId, ok: true, at: at.toISOString() }
        : { user_id: userId, error_code: answer.error_code, description: answer.description, at: at.toISOString() };
}

/** Stream students a direct message can reach, by the flags every audience item carries. */
export async function reachableStudents(registry: Registry, stream: string): Promise<string[]> {
    const byStream: Query<"listConfirmedStudentsByStream"> = { stream, limit: 10000 };
    const students = await json<Json<"listConfirmedStudentsByStream">>(registry, "GET", url(registry, "/api/users/by-stream", byStream));
    return students.filter((student) => student.is_active && student.reachable_by_dm).map((student) => student.user_id);
}

// --------------------------------------------------------------------------- an audience walk and its CSV export

const nextCursorDocumented: DocumentsHeader<"listNonCourseUsers", "X-Next-Cursor"> = true;
const linkDocumented: DocumentsHeader<"listNonCourseUsers", "Link"> = true;

/** Every user without a confirmed booking, page by page, following the X-Next-Cursor header. */
export async function audience(registry: Registry): Promise<Schemas["UserSummary"][]> {
    const everyone: Schemas["UserSummary"][] = [];
    let cursor: string | undefined;
    do {
        const query: Query<"listNonCourseUsers"> = { limit: 1000, cursor };
        const response = await send(registry, "GET", url(registry, "/api/users/non-course", query));
        everyone.push(...((await response.json()) as Json<"listNonCourseUsers">));
        cursor = response.headers.get("X-Next-Cursor") ?? undefined;
    } while (cursor !== undefined && nextCursorDocumented && linkDocumented);
    return everyone;
}

type Csv = Ok<"listNonCourseUsers"> extends { content: { "text/csv": infer T } } ? T : never;

/** The export button: the same list as CSV (format=csv works from a plain link too). */
export async function audienceCsv(registry: Registry): Promise<Csv> {
    const query: Query<"listNonCourseUsers"> = { format: "csv" };
    const response = await send(registry, "GET", url(registry, "/api/users/non-course", query), { headers: { Accept: "text/csv" } });
    const text: Csv = await response.text();
    return text;
}

/** The stream page (3.8): the roster object carries its own next_cursor. */
export async function streamRoster(registry: Registry, stream: string) {
    const query: Query<"getStreamRoster"> = { stream, limit: 10000 };
    const roster = await json<Json<"getStreamRoster">>(registry, "GET", url(registry, "/api/stream-students", query));
    const viewers = roster.students.filter((student) => student.source === "viewed" && student.confirmed === null);
    const next: string | null = roster.next_cursor;
    return { total: roster.total, viewers: viewers.length, next };
}

// ------------------------------------------------------------------------------------------------- the writes

/** The stream selector (3.7): the original sends newStream. */
export async function changeStream(registry: Registry, id: string, stream: string) {
    const body: JsonBody<"moveUserStream"> = { newStream: stream };
    const change = await json<Json<"moveUserStream">>(registry, "PATCH", url(registry, userPath(id) + "/stream"), {
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const moved: number = change.bookingId;
    return { success: change.success, moved, from: change.previous_stream };
}

/** The booking editor (3.6): null bookingId = the newest active booking; null clears a field. */
export async function editBooking(registry: Registry, id: string, bookingId: number | null) {
    const body: JsonBody<"patchUserBookings"> = {
        bookingId,
        updates: { course_stream: null, confirmed: 2, referral_code: null, discount_percent: null },
    };
    const edit = await json<Json<"patchUserBookings">>(registry, "PATCH", url(registry, userPath(id) + "/bookings"), {
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const changed: string[] = edit.changed_fields;
    return { success: edit.success, changed };
}

type MergePatch = NonNullable<operations["patchProfile"]["requestBody"]>["content"]["application/merge-patch+json"];
type IfMatch = NonNullable<operations["patchProfile"]["parameters"]["header"]>["If-Match"];
const etagDocumented: DocumentsHeader<"getProfile", "ETag"> = true;

/** The profile form: read with its ETag, write back with If-Match; a 412 means someone changed it meanwhile. */
export async function renameProfile(registry: Registry, id: string, nickname: string) {
    const read = await send(registry, "GET", url(registry, userPath(id) + "/profile"));
    const profile = (await read.json()) as Json<"getProfile">;
    const year: number | null = profile.grade_year;
    const version: IfMatch = read.headers.get("ETag") ?? "*";
    const patch: MergePatch = { nickname, phone: null, attributes: { edited_in: "dashboard" } };
    try {
        const written = await send(registry, "PATCH", url(registry, userPath(id) + "/profile"), {
            headers: { "Content-Type": "application/merge-patch+json", "If-Match": version ?? "*" },
            body: JSON.stringify(patch),
        });
        const updated = (await written.json()) as Json<"patchProfile">;
        return { nickname: updated.nickname, version: updated.version, etag: written.headers.get("ETag"), year, etagDocumented };
    } catch (failure) {
        if (failure instanceof RegistryError && failure.status === 412) {
            return { conflict: failure.problem.error };
        }
        throw failure;
    }
}

// ---------------------------------------------------------------------------- leads, events, analytics (3.9, 4)

/** The free-lessons table joined to the hot leads by string user id (section 2), "N/A" meaning absent. */
export async function freeLessonLeads(registry: Registry) {
    const leadQuery: Query<"listLeads"> = { days: 7, limit: 100, score: "hot" };
    const leads = await json<Json<"listLeads">>(registry, "GET", url(registry, "/api/user-activity", leadQuery));
    const lessonQuery: Query<"listRecentFreeLessons"> = { limit: 500 };
    const lessons = await json<Json<"listRecentFreeLessons">>(registry, "GET", url(registry, "/api/free-lessons", lessonQuery));
    const hot = new Set(leads.slice(0, 5).map((lead) => lead.user_id));
    const events: number[] = leads.map((lead) => lead.total_events + lead.active_days);
    return lessons.filter((lesson) => hot.has(lesson.user_id))
        .map((lesson) => ({ email: lesson.email === "N/A" ? null : lesson.email, type: lesson.lesson_type, events }));
}

export async function overview(registry: Registry) {
    const stats = await json<Json<"getStats">>(registry, "GET", url(registry, "/api/stats", { tz: "Asia/Tehran" }));
    const recentQuery: Query<"listEvents"> = { type: "recent", limit: 30 };
    const recent = await json<Schemas["RecentEvent"][]>(registry, "GET", url(registry, "/api/events", recentQuery));
    const dailyQuery: Query<"listEvents"> = { type: "daily", days: 30, tz: "UTC" };
    const daily = await json<Schemas["DailyStat"][]>(registry, "GET", url(registry, "/api/events", dailyQuery));
    const top = await json<Schemas["TopEvent"][]>(registry, "GET", url(registry, "/api/events"));
    const growthQuery: Query<"getUserGrowth"> = { days: 30 };
    const growth = await json<Json<"getUserGrowth">>(registry, "GET", url(registry, "/api/user-growth", growthQuery));
    const courses = await json<Json<"getCourseStats">>(registry, "GET", url(registry, "/api/courses"));
    const streams = await json<Json<"getCourseStreamStats">>(registry, "GET", url(registry, "/api/course-streams"));
    const conversion = await json<Json<"getFreeLessonConversion">>(registry, "GET", url(registry, "/api/free-lessons-conversion"));
    const bookingQuery: Query<"listRecentBookings"> = { limit: 20 };
    const bookings = await json<Json<"listRecentBookings">>(registry, "GET", url(registry, "/api/bookings", bookingQuery));
    const totals: number[] = [stats.totalUsers, stats.activeBookings, stats.confirmedPayments, stats.newUsersToday];
    return {
        totals,
        recent: recent.map((event) => `${event.display_name}: ${event.event_type}`),
        newUsers: daily.reduce((sum, day) => sum + day.newUsers, 0),
        top: top.map((event) => `${event.eventType} × ${event.count}`),
        growth: growth.map((point) => [point.date, point.totalUsers] as const),
        courses: courses.map((course) => `${course.courseName}: ${course.confirmed}/${course.total}`),
        links: streams.map((stream) => `/streams/${stream.courseStreamRaw ?? ""}`),
        conversion: conversion.map((lesson) => lesson.conversion_rate),
        bookings: bookings.map((booking) => booking.course_stream ?? "—"),
    };
}
