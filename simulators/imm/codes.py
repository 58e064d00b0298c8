"""Response codes of the IMM client API (table "Error Codes" of the spec)."""

from __future__ import annotations

from enum import IntEnum


class ResultCode(IntEnum):
    """``code`` attribute of ``<response>``."""

    SUCCESS = 0
    FAILURE = 1
    AUTHENTICATION_ERROR = 2
    CLIENT_NOT_PLAY_STATE = 3
    CLIENT_NOT_STANDBY_STATE = 4
    INTERACTION_DISABLED = 5
    LAST_PLAYBACK_NOT_FINISHED = 6
    ACTION_QUEUED = 7
    NOTHING_HAPPENED = 8
    MULTIPLE_RESPONSES = 9
    SCHEDULE_NOT_FOUND = 1001
    PROGRAM_NOT_FOUND = 1002
    PARTITION_NOT_FOUND = 1003
    PLAYLIST_NOT_FOUND = 1004
    ACTION_TYPE_NOT_FOUND = 1005
    MEDIA_NOT_FOUND = 1006
    PROGRAM_NOT_MATCHED = 2002
    PARAMETER_NO_PROGRAM_ID = 3002
    PARAMETER_NO_PARTITION_ID = 3003
    PARAMETER_NO_PLAYLIST_ID = 3004
    PARAMETER_NO_ACTION_TYPE = 3005
    PARAMETER_NO_TEXT = 3006
    PARAMETER_NO_URL = 3007
    PARAMETER_NO_MEDIA_ID = 3008
    PARAMETER_ERR_BEHAVIOR = 3009


#: ``message`` attribute per code: the spec's "Description" column verbatim
#: (only the stray quote after "Schedule not found" is dropped).  Note that the
#: spec's descriptions of 3002..3005 are shifted by one row ("Action type
#: needed" belongs to 3005); they are reproduced as published, clients must rely
#: on the code, not on the message.
MESSAGES: dict[int, str] = {
    ResultCode.SUCCESS: "Success",
    ResultCode.FAILURE: "Failure",
    ResultCode.AUTHENTICATION_ERROR: "Authentication error",
    ResultCode.CLIENT_NOT_PLAY_STATE: "Client not in play state",
    ResultCode.CLIENT_NOT_STANDBY_STATE: "Client not in standby state",
    ResultCode.INTERACTION_DISABLED: "Interaction disabled",
    ResultCode.LAST_PLAYBACK_NOT_FINISHED: "Last Playback is not finished",
    ResultCode.ACTION_QUEUED: "Action has been queued",
    ResultCode.NOTHING_HAPPENED: "No events were triggered",
    ResultCode.MULTIPLE_RESPONSES: "Multiple responses exist",
    ResultCode.SCHEDULE_NOT_FOUND: "Schedule not found",
    ResultCode.PROGRAM_NOT_FOUND: "Program not found",
    ResultCode.PARTITION_NOT_FOUND: "Partition not found",
    ResultCode.PLAYLIST_NOT_FOUND: "Playlist not found",
    ResultCode.ACTION_TYPE_NOT_FOUND: "Action type not found",
    ResultCode.MEDIA_NOT_FOUND: "Media not found",
    ResultCode.PROGRAM_NOT_MATCHED: "Program not matched",
    ResultCode.PARAMETER_NO_PROGRAM_ID: "Action type needed",
    ResultCode.PARAMETER_NO_PARTITION_ID: "Program ID needed",
    ResultCode.PARAMETER_NO_PLAYLIST_ID: "Partition ID needed",
    ResultCode.PARAMETER_NO_ACTION_TYPE: "Playlist ID needed",
    ResultCode.PARAMETER_NO_TEXT: "Text needed",
    ResultCode.PARAMETER_NO_URL: "URL needed",
    ResultCode.PARAMETER_NO_MEDIA_ID: "Media ID needed",
    ResultCode.PARAMETER_ERR_BEHAVIOR: "Error behavior",
}


def message(code: int) -> str:
    """Return the message for a code."""
    return MESSAGES.get(code, "Failure")
