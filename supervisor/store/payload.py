"""Compact journal payloads on SQLite: each event's JSON deflated against a preset dictionary.

An event's message is a few hundred bytes of JSON whose keys, types, id prefixes and
time formats repeat in every row; deflate with a dictionary of typical messages keeps
about a quarter of it (about 300 bytes -> 75 on the simulator's day), per row, so any
row still decodes alone. SQLite stores the result as a BLOB in the same ``payload``
column (its columns take any type): a TEXT value is a message as received, a BLOB is
``FORMAT_V1`` followed by the raw deflate stream (window 2^13, ``DICT_V1``). The
message that comes back is byte for byte the one received. PostgreSQL keeps the text.

``DICT_V1`` is frozen: journals written with it must stay readable. A better
dictionary is a new format byte, never an edit of this one. (Made once from six
simulated hours of ``supervisor.sim.engine``, seed 2026: a few messages of each event
type, the most frequent last; synthetic data only.)
"""

from __future__ import annotations

import base64
import zlib

FORMAT_V1 = b"\x01"
_WBITS = -13
_LEVEL = 3
_MEM_LEVEL = 4

DICT_V1 = base64.b64decode(
    "MyswODowMCIsImNhbGxfaWRzIjpbImMtMDJhOS0wMDEwNTciXSwibm90ZXMiOlt7ImF0IjoiMjAyNi0wMS0wNVQxMzo1ODoz"
    "NC44ODMrMDg6MDAiLCJieSI6IuadqOeQrOa7oiIsInRleHQiOiLlrqLmiLfooajnpLrlpoLkuI3lpITnkIblsIblkJHnm5Hn"
    "rqHmipXor4njgIIifV19fX17InYiOjEsInNlcSI6OTc3MywidHlwZSI6ImNhc2UudXBkYXRlZCIsInRzIjoiMjAyNi0wMS0w"
    "NVQxMzo1OToyNi43MTMrMDg6MDAiLCJkYXRhIjp7ImNhc2UiOnsiY2FzZV9pZCI6ImNhc2UtMDJhOS0wMDI2MiIsImN1c3Rv"
    "bWVyIjp7ImlkIjoiay00ODEwODI3OTA1IiwibmFtZSI6IumDkSrogaoiLCJwaG9uZSI6IjE5MyoqKiozNjA0Iiwic2VnbWVu"
    "dCI6InN0YW5kYXJkIiwibWFza2VkIjp0cnVlfSwiY2F0ZWdvcnkiOiJzZXJ2aWNlX3JlcXVlc3QiLCJzdWJqZWN0Ijoi5L+u"
    "5pS56aKE55WZ5omL5py65Y+3Iiwic3RhdHVzIjoicGVuZGluZyIsIm9wZW5lZF9hdCI6IjIwMjYtMDEtMDVUMTI6MDY6MDMu"
    "MzcxKzA4OjAwIiwiY2FsbF9pZHMiOlsiYy0wMmE5LTAwMDY4MiIsImMtMDJhOS0wMDEwNzMiXSwibm90ZXMiOlt7ImF0Ijoi"
    "MjAyNi0wMS0wNVQxMjowNjowMy4zNzErMDg6MDAiLCJieSI6IuWnnOWHoSIsInRleHQiOiLlt7LmoLjlrp7ouqvku73vvIzl"
    "j5fnkIblrqLmiLfnlLPor7fjgIIifSx7ImF0IjoiMjAyNi0wMS0wNVQxMjowNjo0My4xMTMrMDg6MDAiLCJieSI6IuWnnOWH"
    "oSIsInRleHQiOiLlt7Lmj5DkuqTlkI7lj7DlpITnkIbvvIznn63kv6HpgJrnn6XlrqLmiLfov5vluqbjgIIifSx7ImF0Ijoi"
    "MjAyNi0wMS0wNVQxMzo1OToyNi43MTMrMDg6MDAiLCJieSI6IueOi+ePjSIsInRleHQiOiLlrqLmiLfpg5Eq6IGq77yIMTkz"
    "KioqKjM2MDTvvInlho3mrKHoh7TnlLXjgILlrqLmiLfmnaXnlLXlgqzpl67lpITnkIbov5vluqbjgIIifV19fX17InYiOjEs"
    "InNlcSI6OTc4MCwidHlwZSI6ImNhc2UudXBkYXRlZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1OTo0My4yMzYrMDg6MDAiLCJk"
    "YXRhIjp7ImNhc2UiOnsiY2FzZV9pZCI6ImNhc2UtMDJhOS0wMDM4MSIsImN1c3RvbWVyIjp7ImlkIjoiay00ODEwNTU4NjU5"
    "IiwibmFtZSI6IuadjioiLCJwaG9uZSI6IjE4NioqKio1NjI5Iiwic2VnbWVudCI6InN0YW5kYXJkIiwibWFza2VkIjp0cnVl"
    "fSwiY2F0ZWdvcnkiOiJzZXJ2aWNlX3JlcXVlc3QiLCJzdWJqZWN0Ijoi6Kej6ZSB5omL5py66ZO26KGMIiwic3RhdHVzIjoi"
    "cGVuZGluZyIsIm9wZW5lZF9hdCI6IjIwMjYtMDEtMDVUMTM6NTc6NTQuNDA2KzA4OjAwIiwiY2FsbF9pZHMiOlsiYy0wMmE5"
    "LTAwMTA2OCJdLCJub3RlcyI6W3siYXQiOiIyMDI2LTAxLTA1VDEzOjU3OjU0LjQwNiswODowMCIsImJ5Ijoi6LW155yJ6I23"
    "IiwidGV4dCI6IuW3suaguOWunuadjirouqvku73or4Hlj7c2MTAqKioqKioqKioqKjkzNTfvvIzlt7LmoLjlrp7ouqvku73v"
    "vIzlj5fnkIblrqLmiLfnlLPor7fjgIIifSx7ImF0IjoiMjAyNi0wMS0wNVQxMzo1OTo0My4yMzYrMDg6MDAiLCJieSI6Iui1"
    "teecieiNtyIsInRleHQiOiLlt7Lmj5DkuqTlkI7lj7DlpITnkIbvvIznn63kv6HpgJrnn6XlrqLmiLfov5vluqbjgIIifV19"
    "fX17InYiOjEsInNlcSI6OTc4NCwidHlwZSI6ImNhc2UudXBkYXRlZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1OTo0NS41MTQr"
    "MDg6MDAiLCJkYXRhIjp7ImNhc2UiOnsiY2FzZV9pZCI6ImNhc2UtMDJhOS0wMDE4NCIsImN1c3RvbWVyIjp7ImlkIjoiay00"
    "ODA5MzE1Mzc2IiwibmFtZSI6IuadqCrpo5giLCJwaG9uZSI6IjE2MSoqKio2MDY4Iiwic2VnbWVudCI6InN0YW5kYXJkIiwi"
    "bWFza2VkIjp0cnVlfSwiY2F0ZWdvcnkiOiJjYXJkX2xvc3MiLCJzdWJqZWN0Ijoi6ZO26KGM5Y2h6KKrQVRN5ZCe5Y2hIiwi"
    "c3RhdHVzIjoicGVuZGluZyIsIm9wZW5lZF9hdCI6IjIwMjYtMDEtMDVUMTE6MDE6MzcuMTU4KzA4OjAwIiwiY2FsbF9pZHMi"
    "OlsiYy0wMmE5LTAwMDQ4MyIsImMtMDJhOS0wMDEwNTkiXSwibm90ZXMiOlt7ImF0IjoiMjAyNi0wMS0wNVQxMTowMTozNy4x"
    "NTgrMDg6MDAiLCJieSI6Iuavm+avk+eQpiIsInRleHQiOiLlt7LmoLjlrp7ouqvku73vvIzlip7nkIbkuLTml7bmjILlpLHj"
    "gIIifSx7ImF0IjoiMjAyNi0wMS0wNVQxMTowMzozOC42NjQrMDg6MDAiLCJieSI6Iuavm+avk+eQpiIsInRleHQiOiLlt7Lm"
    "raPlvI/mjILlpLHlubblj5fnkIbooaXljaHvvIzmlrDljaHpgq7lr4TkuK3jgIIifSx7ImF0IjoiMjAyNi0wMS0wNVQxMzo1"
    "OTo0NS41MTQrMDg6MDAiLCJieSI6IumZiOWtkCIsInRleHQiOiLlrqLmiLfmnagq6aOY5p2l55S177yM5omL5py6MTYxKioq"
    "KjYwNjjvvIzlrqLmiLfooaXlhYXkuobkuqTmmJPmiKrlm77jgIIifV19fX17InYiOjEsInNlcSI6OTc3MiwidHlwZSI6ImNh"
    "bGwuZW5kZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTk6MjYuNzEzKzA4OjAwIiwiZGF0YSI6eyJjYWxsX2lkIjoiYy0wMmE5"
    "LTAwMTA3MyIsImFnZW50X2lkIjoiYS0wMTUiLCJhdCI6IjIwMjYtMDEtMDVUMTM6NTk6MjYuNzEzKzA4OjAwIiwiY2FzZV9p"
    "ZCI6ImNhc2UtMDJhOS0wMDI2MiJ9fXsidiI6MSwic2VxIjo5Nzc1LCJ0eXBlIjoiY2FsbC5lbmRlZCIsInRzIjoiMjAyNi0w"
    "MS0wNVQxMzo1OToyOC40MDgrMDg6MDAiLCJkYXRhIjp7ImNhbGxfaWQiOiJjLTAyYTktMDAxMDQ5IiwiYWdlbnRfaWQiOiJh"
    "LTAyMiIsImF0IjoiMjAyNi0wMS0wNVQxMzo1OToyOC40MDgrMDg6MDAiLCJjYXNlX2lkIjpudWxsfX17InYiOjEsInNlcSI6"
    "OTc3NywidHlwZSI6ImNhbGwuZW5kZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTk6MzYuOTk3KzA4OjAwIiwiZGF0YSI6eyJj"
    "YWxsX2lkIjoiYy0wMmE5LTAwMTA1MiIsImFnZW50X2lkIjoiYS0wMDEiLCJhdCI6IjIwMjYtMDEtMDVUMTM6NTk6MzYuOTk3"
    "KzA4OjAwIiwiY2FzZV9pZCI6bnVsbH19eyJ2IjoxLCJzZXEiOjk3NzksInR5cGUiOiJjYWxsLmVuZGVkIiwidHMiOiIyMDI2"
    "LTAxLTA1VDEzOjU5OjQzLjIzNiswODowMCIsImRhdGEiOnsiY2FsbF9pZCI6ImMtMDJhOS0wMDEwNjgiLCJhZ2VudF9pZCI6"
    "ImEtMDEzIiwiYXQiOiIyMDI2LTAxLTA1VDEzOjU5OjQzLjIzNiswODowMCIsImNhc2VfaWQiOiJjYXNlLTAyYTktMDAzODEi"
    "fX17InYiOjEsInNlcSI6OTc4MywidHlwZSI6ImNhbGwuZW5kZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTk6NDUuNTE0KzA4"
    "OjAwIiwiZGF0YSI6eyJjYWxsX2lkIjoiYy0wMmE5LTAwMTA1OSIsImFnZW50X2lkIjoiYS0wMDUiLCJhdCI6IjIwMjYtMDEt"
    "MDVUMTM6NTk6NDUuNTE0KzA4OjAwIiwiY2FzZV9pZCI6ImNhc2UtMDJhOS0wMDE4NCJ9fXsidiI6MSwic2VxIjo5NzQ2LCJ0"
    "eXBlIjoiY2FsbC5hbnN3ZXJlZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1ODozMS4xMzcrMDg6MDAiLCJkYXRhIjp7ImNhbGxf"
    "aWQiOiJjLTAyYTktMDAxMDc1IiwiYWdlbnRfaWQiOiJhLTAzMiIsImF0IjoiMjAyNi0wMS0wNVQxMzo1ODozMS4xMzcrMDg6"
    "MDAifX17InYiOjEsInNlcSI6OTc1NiwidHlwZSI6ImNhbGwuYW5zd2VyZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTg6NDMu"
    "MTAyKzA4OjAwIiwiZGF0YSI6eyJjYWxsX2lkIjoiYy0wMmE5LTAwMTA3NyIsImFnZW50X2lkIjoiYS0wMDgiLCJhdCI6IjIw"
    "MjYtMDEtMDVUMTM6NTg6NDMuMTAyKzA4OjAwIn19eyJ2IjoxLCJzZXEiOjk3NjcsInR5cGUiOiJjYWxsLmFuc3dlcmVkIiwi"
    "dHMiOiIyMDI2LTAxLTA1VDEzOjU5OjIxLjkxMiswODowMCIsImRhdGEiOnsiY2FsbF9pZCI6ImMtMDJhOS0wMDEwNjQiLCJh"
    "Z2VudF9pZCI6ImEtMDI4IiwiYXQiOiIyMDI2LTAxLTA1VDEzOjU5OjIxLjkxMiswODowMCJ9fXsidiI6MSwic2VxIjo5NzY5"
    "LCJ0eXBlIjoiY2FsbC5hbnN3ZXJlZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1OToyMy4xODgrMDg6MDAiLCJkYXRhIjp7ImNh"
    "bGxfaWQiOiJjLTAyYTktMDAxMDc2IiwiYWdlbnRfaWQiOiJhLTAyMSIsImF0IjoiMjAyNi0wMS0wNVQxMzo1OToyMy4xODgr"
    "MDg6MDAifX17InYiOjEsInNlcSI6OTc5MSwidHlwZSI6ImNhbGwuYW5zd2VyZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTk6"
    "NTUuMzc1KzA4OjAwIiwiZGF0YSI6eyJjYWxsX2lkIjoiYy0wMmE5LTAwMTA4MCIsImFnZW50X2lkIjoiYS0wMTQiLCJhdCI6"
    "IjIwMjYtMDEtMDVUMTM6NTk6NTUuMzc1KzA4OjAwIn19eyJ2IjoxLCJzZXEiOjk3OTUsInR5cGUiOiJjYWxsLmFuc3dlcmVk"
    "IiwidHMiOiIyMDI2LTAxLTA1VDEzOjU5OjU5LjcyMCswODowMCIsImRhdGEiOnsiY2FsbF9pZCI6ImMtMDJhOS0wMDEwODIi"
    "LCJhZ2VudF9pZCI6ImEtMDIyIiwiYXQiOiIyMDI2LTAxLTA1VDEzOjU5OjU5LjcyMCswODowMCJ9fXsidiI6MSwic2VxIjo5"
    "NzU4LCJ0eXBlIjoiY2FsbC5xdWV1ZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTg6NTQuMDE2KzA4OjAwIiwiZGF0YSI6eyJj"
    "b250YWN0Ijp7ImNhbGxfaWQiOiJjLTAyYTktMDAxMDc5IiwicXVldWUiOiJjYXJkX2xvc3NfZnJhdWQiLCJjaGFubmVsIjoi"
    "Y2hhdCIsInByaW9yaXR5IjoyLCJjdXN0b21lciI6eyJpZCI6ImstNDgxMzA1MzE0NCIsIm5hbWUiOiLmm7kq5aa5IiwicGhv"
    "bmUiOiIxNDMqKioqMjI5NCIsInNlZ21lbnQiOiJzdGFuZGFyZCIsIm1hc2tlZCI6dHJ1ZX0sInF1ZXVlZF9hdCI6IjIwMjYt"
    "MDEtMDVUMTM6NTg6NTQuMDE2KzA4OjAwIiwiY2FzZV9pZCI6bnVsbH19fXsidiI6MSwic2VxIjo5NzYxLCJ0eXBlIjoiY2Fs"
    "bC5xdWV1ZWQiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTg6NTUuOTA4KzA4OjAwIiwiZGF0YSI6eyJjb250YWN0Ijp7ImNhbGxf"
    "aWQiOiJjLTAyYTktMDAxMDgwIiwicXVldWUiOiJjcmVkaXRfY2FyZCIsImNoYW5uZWwiOiJ2b2ljZSIsInByaW9yaXR5Ijow"
    "LCJjdXN0b21lciI6eyJpZCI6ImstNDgxMzA2MTA2MyIsIm5hbWUiOiLliJgq55G2IiwicGhvbmUiOiIxNzMqKioqMzc5NiIs"
    "InNlZ21lbnQiOiJzdGFuZGFyZCIsIm1hc2tlZCI6dHJ1ZX0sInF1ZXVlZF9hdCI6IjIwMjYtMDEtMDVUMTM6NTg6NTUuOTA4"
    "KzA4OjAwIiwiY2FzZV9pZCI6bnVsbH19fXsidiI6MSwic2VxIjo5NzYyLCJ0eXBlIjoiY2FsbC5xdWV1ZWQiLCJ0cyI6IjIw"
    "MjYtMDEtMDVUMTM6NTk6MTAuMDg2KzA4OjAwIiwiZGF0YSI6eyJjb250YWN0Ijp7ImNhbGxfaWQiOiJjLTAyYTktMDAxMDgx"
    "IiwicXVldWUiOiJ2aXAiLCJjaGFubmVsIjoiY2FsbGJhY2siLCJwcmlvcml0eSI6MSwiY3VzdG9tZXIiOnsiaWQiOiJrLTQ4"
    "MTMwNjg5ODIiLCJuYW1lIjoi6a2PKumdkiIsInBob25lIjoiMTU0KioqKjMwNTkiLCJzZWdtZW50IjoidmlwIiwibWFza2Vk"
    "Ijp0cnVlfSwicXVldWVkX2F0IjoiMjAyNi0wMS0wNVQxMzo1OToxMC4wODYrMDg6MDAiLCJjYXNlX2lkIjpudWxsfX19eyJ2"
    "IjoxLCJzZXEiOjk3ODIsInR5cGUiOiJjYWxsLnF1ZXVlZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1OTo0NS40MTUrMDg6MDAi"
    "LCJkYXRhIjp7ImNvbnRhY3QiOnsiY2FsbF9pZCI6ImMtMDJhOS0wMDEwODIiLCJxdWV1ZSI6ImRlcG9zaXRfdHJhbnNmZXIi"
    "LCJjaGFubmVsIjoidm9pY2UiLCJwcmlvcml0eSI6MCwiY3VzdG9tZXIiOnsiaWQiOiJrLTQ4MTMwNzY5MDEiLCJuYW1lIjoi"
    "6ZmIKueIsSIsInBob25lIjoiMTQ1KioqKjc3OTkiLCJzZWdtZW50Ijoic3RhbmRhcmQiLCJtYXNrZWQiOnRydWV9LCJxdWV1"
    "ZWRfYXQiOiIyMDI2LTAxLTA1VDEzOjU5OjQ1LjQxNSswODowMCIsImNhc2VfaWQiOm51bGx9fX17InYiOjEsInNlcSI6OTc4"
    "NiwidHlwZSI6ImNhbGwucXVldWVkIiwidHMiOiIyMDI2LTAxLTA1VDEzOjU5OjQ5LjcxMiswODowMCIsImRhdGEiOnsiY29u"
    "dGFjdCI6eyJjYWxsX2lkIjoiYy0wMmE5LTAwMTA4MyIsInF1ZXVlIjoid2VhbHRoIiwiY2hhbm5lbCI6ImNhbGxiYWNrIiwi"
    "cHJpb3JpdHkiOjAsImN1c3RvbWVyIjp7ImlkIjoiay00ODEzMDg0ODIwIiwibmFtZSI6IuiwoirpnIQiLCJwaG9uZSI6IjE1"
    "NSoqKioyODI4Iiwic2VnbWVudCI6InN0YW5kYXJkIiwibWFza2VkIjp0cnVlfSwicXVldWVkX2F0IjoiMjAyNi0wMS0wNVQx"
    "Mzo1OTo0OS43MTIrMDg6MDAiLCJjYXNlX2lkIjpudWxsfX19eyJ2IjoxLCJzZXEiOjk3OTMsInR5cGUiOiJjYWxsLnF1ZXVl"
    "ZCIsInRzIjoiMjAyNi0wMS0wNVQxMzo1OTo1OC41ODArMDg6MDAiLCJkYXRhIjp7ImNvbnRhY3QiOnsiY2FsbF9pZCI6ImMt"
    "MDJhOS0wMDEwODQiLCJxdWV1ZSI6ImRlcG9zaXRfdHJhbnNmZXIiLCJjaGFubmVsIjoiZW1haWwiLCJwcmlvcml0eSI6MCwi"
    "Y3VzdG9tZXIiOnsiaWQiOiJrLTQ4MTMwOTI3MzkiLCJuYW1lIjoi5pyxKuazvSIsInBob25lIjoiMTkxKioqKjk2MzgiLCJz"
    "ZWdtZW50Ijoic3RhbmRhcmQiLCJtYXNrZWQiOnRydWV9LCJxdWV1ZWRfYXQiOiIyMDI2LTAxLTA1VDEzOjU5OjU4LjU4MCsw"
    "ODowMCIsImNhc2VfaWQiOm51bGx9fX17InYiOjEsInNlcSI6OTc4NywidHlwZSI6ImFnZW50LnN0YXRlIiwidHMiOiIyMDI2"
    "LTAxLTA1VDEzOjU5OjUwLjYwMCswODowMCIsImRhdGEiOnsiYWdlbnQiOnsiYWdlbnRfaWQiOiJhLTAxNCIsIm5hbWUiOiLl"
    "vKDlqLTmmI4iLCJ0ZWFtIjoi5LqM57uEIiwic2tpbGxzIjpbImNyZWRpdF9jYXJkIiwiZGVwb3NpdF90cmFuc2ZlciIsImVf"
    "YmFua2luZyJdLCJzdGF0ZSI6ImF2YWlsYWJsZSIsInJlYXNvbiI6bnVsbCwic2luY2UiOiIyMDI2LTAxLTA1VDEzOjU5OjUw"
    "LjYwMCswODowMCIsImNhbGxfaWQiOm51bGx9fX17InYiOjEsInNlcSI6OTc4OCwidHlwZSI6ImFnZW50LnN0YXRlIiwidHMi"
    "OiIyMDI2LTAxLTA1VDEzOjU5OjUwLjYwMCswODowMCIsImRhdGEiOnsiYWdlbnQiOnsiYWdlbnRfaWQiOiJhLTAxNCIsIm5h"
    "bWUiOiLlvKDlqLTmmI4iLCJ0ZWFtIjoi5LqM57uEIiwic2tpbGxzIjpbImNyZWRpdF9jYXJkIiwiZGVwb3NpdF90cmFuc2Zl"
    "ciIsImVfYmFua2luZyJdLCJzdGF0ZSI6InJpbmdpbmciLCJyZWFzb24iOm51bGwsInNpbmNlIjoiMjAyNi0wMS0wNVQxMzo1"
    "OTo1MC42MDArMDg6MDAiLCJjYWxsX2lkIjoiYy0wMmE5LTAwMTA4MCJ9fX17InYiOjEsInNlcSI6OTc4OSwidHlwZSI6ImFn"
    "ZW50LnN0YXRlIiwidHMiOiIyMDI2LTAxLTA1VDEzOjU5OjUzLjIzNiswODowMCIsImRhdGEiOnsiYWdlbnQiOnsiYWdlbnRf"
    "aWQiOiJhLTAyMiIsIm5hbWUiOiLmnZzkvJ/ogaoiLCJ0ZWFtIjoi5LiJ57uEIiwic2tpbGxzIjpbImRlcG9zaXRfdHJhbnNm"
    "ZXIiLCJlX2JhbmtpbmciLCJwZXJzb25hbF9sb2FuIiwid2VhbHRoIl0sInN0YXRlIjoiYXZhaWxhYmxlIiwicmVhc29uIjpu"
    "dWxsLCJzaW5jZSI6IjIwMjYtMDEtMDVUMTM6NTk6NTMuMjM2KzA4OjAwIiwiY2FsbF9pZCI6bnVsbH19fXsidiI6MSwic2Vx"
    "Ijo5NzkwLCJ0eXBlIjoiYWdlbnQuc3RhdGUiLCJ0cyI6IjIwMjYtMDEtMDVUMTM6NTk6NTMuMjM2KzA4OjAwIiwiZGF0YSI6"
    "eyJhZ2VudCI6eyJhZ2VudF9pZCI6ImEtMDIyIiwibmFtZSI6IuadnOS8n+iBqiIsInRlYW0iOiLkuInnu4QiLCJza2lsbHMi"
    "OlsiZGVwb3NpdF90cmFuc2ZlciIsImVfYmFua2luZyIsInBlcnNvbmFsX2xvYW4iLCJ3ZWFsdGgiXSwic3RhdGUiOiJyaW5n"
    "aW5nIiwicmVhc29uIjpudWxsLCJzaW5jZSI6IjIwMjYtMDEtMDVUMTM6NTk6NTMuMjM2KzA4OjAwIiwiY2FsbF9pZCI6ImMt"
    "MDJhOS0wMDEwODIifX19eyJ2IjoxLCJzZXEiOjk3OTIsInR5cGUiOiJhZ2VudC5zdGF0ZSIsInRzIjoiMjAyNi0wMS0wNVQx"
    "Mzo1OTo1NS4zNzUrMDg6MDAiLCJkYXRhIjp7ImFnZW50Ijp7ImFnZW50X2lkIjoiYS0wMTQiLCJuYW1lIjoi5byg5ai05piO"
    "IiwidGVhbSI6IuS6jOe7hCIsInNraWxscyI6WyJjcmVkaXRfY2FyZCIsImRlcG9zaXRfdHJhbnNmZXIiLCJlX2Jhbmtpbmci"
    "XSwic3RhdGUiOiJvbl9jYWxsIiwicmVhc29uIjpudWxsLCJzaW5jZSI6IjIwMjYtMDEtMDVUMTM6NTk6NTUuMzc1KzA4OjAw"
    "IiwiY2FsbF9pZCI6ImMtMDJhOS0wMDEwODAifX19eyJ2IjoxLCJzZXEiOjk3OTYsInR5cGUiOiJhZ2VudC5zdGF0ZSIsInRz"
    "IjoiMjAyNi0wMS0wNVQxMzo1OTo1OS43MjArMDg6MDAiLCJkYXRhIjp7ImFnZW50Ijp7ImFnZW50X2lkIjoiYS0wMjIiLCJu"
    "YW1lIjoi5p2c5Lyf6IGqIiwidGVhbSI6IuS4iee7hCIsInNraWxscyI6WyJkZXBvc2l0X3RyYW5zZmVyIiwiZV9iYW5raW5n"
    "IiwicGVyc29uYWxfbG9hbiIsIndlYWx0aCJdLCJzdGF0ZSI6Im9uX2NhbGwiLCJyZWFzb24iOm51bGwsInNpbmNlIjoiMjAy"
    "Ni0wMS0wNVQxMzo1OTo1OS43MjArMDg6MDAiLCJjYWxsX2lkIjoiYy0wMmE5LTAwMTA4MiJ9fX0="
)

# a compressor primed with the dictionary; each row starts from a copy of it
_PRIMED = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEM_LEVEL, zlib.Z_DEFAULT_STRATEGY, DICT_V1)


def pack(text: str) -> bytes:
    """The compact form of one message (UTF-8 JSON text)."""
    c = _PRIMED.copy()
    return FORMAT_V1 + c.compress(text.encode("utf-8")) + c.flush()


def unpack(value: str | bytes) -> str | bytes:
    """The message of a journal row's payload: text as stored, or the JSON bytes of a
    compact one (``wire.decode`` takes either)."""
    if isinstance(value, str):
        return value
    if value[:1] != FORMAT_V1:
        raise ValueError("unknown journal payload format")
    d = zlib.decompressobj(_WBITS, DICT_V1)
    return d.decompress(value[1:]) + d.flush()


def payload_text(value: str | bytes) -> str:
    """The message of a journal row's payload as text (for people and tests)."""
    out = unpack(value)
    return out if isinstance(out, str) else out.decode("utf-8")
